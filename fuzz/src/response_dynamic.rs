//! `response_dynamic`: the dynamic partner record and `xsd:anyType` values. The input's
//! root element is read as an [`SObject`] and, separately, as an [`AnyValue`]; every typed
//! getter is then asked about every field (and one level of parent paths), and what was
//! read is written back and must be well-formed XML: nothing read from a response may
//! inject markup into a request.

use sforce::xml::{FromXml, ReadLimits, ToXml, XmlReader, XmlWriter};
use sforce::{partner, AnyValue, Error, FieldValue, SObject};

/// Reads the input as an sObject and as an `xsd:anyType` value; returns the first error.
pub fn run(data: &[u8]) -> Result<(), Error> {
    let record = read_root::<SObject>(data);
    if let Ok(record) = &record {
        ask_every_getter(record);
        let _ = format!("{record:?}");
        assert_well_formed(&written("sObject", record), "an sObject");
    }
    let value = read_root::<AnyValue>(data);
    if let Ok(value) = &value {
        ask_any_value(value);
        assert_well_formed(&written("value", value), "an anyType value");
    }
    record.and(value).map(drop)
}

fn read_root<T: FromXml>(data: &[u8]) -> Result<T, Error> {
    let mut reader = XmlReader::new(data);
    let root = reader.root()?;
    let value = T::read_xml(&mut reader, &root)?;
    reader.finish()?;
    Ok(value)
}

/// Every getter on every field of `record`, on `Id`, on a field that is not there, and on
/// `parent.field` for the fields of nested records. Errors are answers; panics are not.
fn ask_every_getter(record: &SObject) {
    let _ = (record.type_name(), record.len(), record.is_empty());
    ask(record, "Id");
    ask(record, "NotInTheResponse__c");
    for (name, value) in record.fields() {
        ask(record, name);
        let _ = (
            value.kind(),
            value.is_null(),
            value.as_str(),
            value.as_location(),
        );
        if let Some(parent) = value.as_sobject() {
            for (child, _) in parent.fields() {
                ask(record, &format!("{name}.{child}"));
            }
            // The reader's depth limit bounds this recursion.
            ask_every_getter(parent);
        }
        if let Some(query) = value.as_query() {
            for child in &query.records {
                ask_every_getter(child);
            }
        }
        if let FieldValue::Any(any) = value {
            ask_any_value(any);
        }
    }
}

fn ask(record: &SObject, name: &str) {
    let _ = (
        record.get(name),
        record.contains(name),
        record.is_null(name),
    );
    let _ = record.get_str(name).map_err(|e| e.to_string());
    let _ = record.get_bool(name);
    let _ = record.get_int(name);
    let _ = record.get_long(name);
    let _ = record.get_double(name);
    let _ = record.get_decimal(name);
    let _ = record.get_date(name);
    let _ = record.get_datetime(name);
    let _ = record.get_time(name);
    let _ = record.get_base64(name);
    let _ = record.get_array(name);
    let _ = record.get_sobject(name);
    let _ = record.get_query(name);
    let _ = record.get_address(name);
    let _ = record.get_location(name);
}

fn ask_any_value(value: &AnyValue) {
    let _ = (value.type_name(), value.as_str(), value.as_bool());
    let _ = (value.as_int(), value.as_long(), value.as_double());
    let _ = (value.as_decimal(), value.as_date(), value.as_datetime());
    let _ = (value.as_time(), value.as_base64());
}

/// `value` written as element `tag` inside an element that declares the partner
/// service's prefixes and `xsi`, as a request envelope does.
fn written(tag: &str, value: &dyn ToXml) -> String {
    let mut w = XmlWriter::new();
    w.raw("<request xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"");
    for (prefix, uri) in partner::SERVICE.namespaces {
        w.raw(" xmlns:");
        w.raw(prefix);
        w.raw("=\"");
        w.text(uri);
        w.raw("\"");
    }
    w.raw(">");
    value.write_xml(&mut w, tag);
    w.raw("</request>");
    w.into_string()
}

/// Panics (a finding) unless `xml` is one well-formed element. The wrapper adds a level
/// and the writer declares a namespace on every compound field, so depth and namespace
/// limits are raised by what the writing itself adds.
fn assert_well_formed(xml: &str, what: &str) {
    let limits = ReadLimits {
        max_depth: ReadLimits::DEFAULT_MAX_DEPTH + 1,
        max_namespaces: u32::MAX,
        ..ReadLimits::default()
    };
    let mut reader = XmlReader::with_limits(xml.as_bytes(), limits);
    let checked = reader
        .root()
        .and_then(|root| reader.skip(&root))
        .and_then(|()| reader.finish());
    if let Err(e) = checked {
        panic!("{what} read from a response writes XML that does not read back: {e}\n{xml}");
    }
}
