#!/usr/bin/env python3
"""Check request envelopes against the XML Schema inside a WSDL.

    validate_envelopes.py --wsdl WSDL [--exceptions FILE] PATH...

PATH is an envelope file or a directory (every file matching --pattern inside is
checked, `*request*.xml` by default). Each element directly under `soapenv:Header` and
`soapenv:Body` must be valid as a global element of one of the WSDL's schemas; for a
`soapenv:Fault` (a response), `faultcode` and `faultstring` must be there and each element
of its `detail` must be valid.

The exceptions file lists, one per line, `NAME: reason`, the places where the project
follows Salesforce's server rather than its schema. Known names:

    sobject-without-id      an sObject sent without an <Id> element (create, upsert)
    query-options-no-scope  a QueryOptions header with batchSize but no <scope>
    call-options-partial    a CallOptions header with only some of its children

Only the listed exceptions are tolerated; everything else must validate. Exit status 0
when every envelope is valid, 1 otherwise. Needs lxml (`pip install lxml`).
"""

import argparse
import copy
import pathlib
import sys

from lxml import etree

NS_XSD = "http://www.w3.org/2001/XMLSchema"
NS_WSDL = "http://schemas.xmlsoap.org/wsdl/"
NS_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def schema_from_wsdl(path):
    """Builds one lxml XMLSchema from every <schema> in the WSDL's <types>."""
    wsdl = etree.parse(str(path))
    root_ns = dict(wsdl.getroot().nsmap)
    sources = {}
    for index, schema in enumerate(wsdl.getroot().iterfind(f"{{{NS_WSDL}}}types/{{{NS_XSD}}}schema")):
        # A schema cut out of the WSDL loses the prefixes declared on <definitions>.
        namespaces = {**root_ns, **schema.nsmap}
        standalone = etree.Element(schema.tag, attrib=dict(schema.attrib), nsmap=namespaces)
        standalone.extend(copy.deepcopy(list(schema)))
        sources[standalone.get("targetNamespace")] = (f"wsdl-schema-{index}.xsd", standalone)

    for _, standalone in sources.values():
        for imported in standalone.iterfind(f"{{{NS_XSD}}}import"):
            target = sources.get(imported.get("namespace"))
            if target is not None:
                imported.set("schemaLocation", target[0])

    by_location = {loc: etree.tostring(doc) for loc, doc in sources.values()}

    class InMemory(etree.Resolver):
        def resolve(self, url, pubid, context):
            name = url.rsplit("/", 1)[-1]
            if name in by_location:
                return self.resolve_string(by_location[name], context)
            return None

    umbrella = etree.Element(f"{{{NS_XSD}}}schema", nsmap={"xsd": NS_XSD})
    umbrella.set("targetNamespace", "urn:sforce:validate")
    for loc, doc in sources.values():
        etree.SubElement(umbrella, f"{{{NS_XSD}}}import",
                         namespace=doc.get("targetNamespace"), schemaLocation=loc)
    parser = etree.XMLParser()
    parser.resolvers.add(InMemory())
    return etree.XMLSchema(etree.fromstring(etree.tostring(umbrella), parser, base_url="mem:/"))


def header_sequence(wsdl_path, name):
    """The child declarations (name, type, nillable) of the global element `name`."""
    wsdl = etree.parse(str(wsdl_path))
    for decl in wsdl.getroot().iterfind(f".//{{{NS_XSD}}}schema/{{{NS_XSD}}}element[@name='{name}']"):
        return [(c.get("name"), c.get("type", ""), c.get("nillable") == "true")
                for c in decl.iterfind(f"{{{NS_XSD}}}complexType/{{{NS_XSD}}}sequence/{{{NS_XSD}}}element")]
    return []


def placeholder(wsdl_path, type_name):
    """A valid value for a missing simple-typed element: false, the first enumeration, or ''."""
    local = type_name.split(":")[-1]
    if local == "boolean":
        return "false"
    wsdl = etree.parse(str(wsdl_path))
    for enum in wsdl.getroot().iterfind(
            f".//{{{NS_XSD}}}simpleType[@name='{local}']/{{{NS_XSD}}}restriction/{{{NS_XSD}}}enumeration"):
        return enum.get("value")
    return ""


def fill_missing_children(node, sequence, wsdl_path):
    """Inserts the declared children `node` lacks, in schema order (nil where allowed)."""
    present = {etree.QName(c).localname for c in node if isinstance(c.tag, str)}
    if all(name in present for name, _, _ in sequence):
        return False
    ns = etree.QName(node).namespace
    kept = {etree.QName(c).localname: c for c in node if isinstance(c.tag, str)}
    for child in list(node):
        node.remove(child)
    for name, type_name, nillable in sequence:
        if name in kept:
            node.append(kept[name])
            continue
        filler = etree.SubElement(node, f"{{{ns}}}{name}")
        if nillable:
            filler.set(f"{{{NS_XSI}}}nil", "true")
        else:
            filler.text = placeholder(wsdl_path, type_name)
    return True


def apply_exceptions(element, allowed, wsdl_path=None):
    """Adds what the schema wants and the server does not, for the listed exceptions only."""
    used = set()
    if ("call-options-partial" in allowed and etree.QName(element).localname == "CallOptions"
            and wsdl_path is not None):
        if fill_missing_children(element, header_sequence(wsdl_path, "CallOptions"), wsdl_path):
            used.add("call-options-partial")
    for node in element.iter(etree.Element):
        children = [c for c in node if isinstance(c.tag, str)]
        if ("sobject-without-id" in allowed and children
                and etree.QName(children[0]).localname == "type"
                # Only sObjects (`sf:type` in the sObject namespace), not other types whose
                # first element is called `type` (OwnerChangeOption).
                and (etree.QName(children[0]).namespace or "").startswith("urn:sobject.")):
            sobject_ns = etree.QName(children[0]).namespace
            if not any(etree.QName(c).localname == "Id" for c in children):
                at = 1
                while at < len(children) and etree.QName(children[at]).localname == "fieldsToNull":
                    at += 1
                missing_id = etree.Element(f"{{{sobject_ns}}}Id")
                missing_id.set(f"{{{NS_XSI}}}nil", "true")
                node.insert(at, missing_id)
                used.add("sobject-without-id")
        if "query-options-no-scope" in allowed and etree.QName(node).localname == "QueryOptions":
            if not any(etree.QName(c).localname == "scope" for c in children):
                scope = etree.SubElement(node, f"{{{etree.QName(node).namespace}}}scope")
                scope.text = "Mine"
                used.add("query-options-no-scope")
    return used


def check(schema, path, allowed, wsdl_path=None):
    """Returns (problems, exceptions used) for one envelope file."""
    try:
        envelope = etree.parse(str(path)).getroot()
    except etree.XMLSyntaxError as err:
        return [f"not well-formed: {err}"], set()
    if envelope.tag != f"{{{NS_ENV}}}Envelope":
        return [f"root element is {envelope.tag}, not a SOAP 1.1 Envelope"], set()
    body = envelope.findall(f"{{{NS_ENV}}}Body/*")
    if not body:
        return ["the Body is empty"], set()
    problems, used = [], set()
    fault = envelope.find(f"{{{NS_ENV}}}Body/{{{NS_ENV}}}Fault")
    if fault is not None:
        for name in ("faultcode", "faultstring"):
            if fault.find(name) is None:
                problems.append(f"Fault: no {name}")
        body = fault.findall("detail/*")
    for part in envelope.findall(f"{{{NS_ENV}}}Header/*") + body:
        part = copy.deepcopy(part)
        used |= apply_exceptions(part, allowed, wsdl_path)
        if not schema.validate(etree.ElementTree(part)):
            for err in schema.error_log:
                problems.append(f"{etree.QName(part).localname}: line {err.line}: {err.message}")
    return problems, used


def read_exceptions(path):
    allowed = {}
    if path is None:
        return allowed
    for number, line in enumerate(pathlib.Path(path).read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, reason = line.partition(":")
        if not sep or not reason.strip():
            sys.exit(f"{path}:{number}: expected `name: reason`")
        allowed[name.strip()] = reason.strip()
    return allowed


def main():
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--wsdl", required=True)
    args.add_argument("--exceptions")
    args.add_argument("--pattern", default="*request*.xml",
                      help="which files of a directory to check (default: *request*.xml)")
    args.add_argument("paths", nargs="+")
    opts = args.parse_args()

    schema = schema_from_wsdl(opts.wsdl)
    allowed = read_exceptions(opts.exceptions)
    files = []
    for p in map(pathlib.Path, opts.paths):
        files.extend(sorted(p.glob(opts.pattern)) if p.is_dir() else [p])
    if not files:
        print("no envelopes found", file=sys.stderr)
        return 1

    failed, used_all = 0, set()
    for path in files:
        problems, used = check(schema, path, allowed, opts.wsdl)
        used_all |= used
        if problems:
            failed += 1
            print(f"INVALID {path}")
            for problem in problems[:20]:
                print(f"    {problem}")
    for name in sorted(used_all):
        print(f"exception used: {name}: {allowed[name]}")
    print(f"checked {len(files)} envelopes against the schema, {failed} invalid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
