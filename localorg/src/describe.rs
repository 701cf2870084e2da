//! describeGlobal and describeSObject(s), answered from the describes the org runs on.

use sforce_codegen::describe::SObjectDescribe;

use crate::fault::{Detail, Fault};
use crate::org::Org;
use crate::wire;

pub(crate) fn global(org: &Org) -> wire::DescribeGlobalResult {
    let sobjects = org
        .objects
        .all()
        .iter()
        .map(|o| wire::DescribeGlobalSObjectResult {
            createable: o.createable,
            custom: o.custom,
            deletable: o.deletable,
            key_prefix: o.key_prefix.clone(),
            label: o.label.clone(),
            label_plural: plural(o),
            layoutable: true,
            name: o.name.clone(),
            queryable: o.queryable,
            replicateable: true,
            retrieveable: true,
            searchable: true,
            triggerable: true,
            undeletable: o.deletable,
            updateable: o.updateable,
            ..Default::default()
        })
        .collect();
    wire::DescribeGlobalResult {
        encoding: Some("UTF-8".to_owned()),
        max_batch_size: 200,
        sobjects,
    }
}

fn plural(object: &SObjectDescribe) -> String {
    format!("{}s", object.label)
}

/// The SOAP describe's `soapType` for a REST dump's: REST writes the compound types as
/// `urn:address`, SOAP as `tns:address`.
fn soap_type(rest: &str) -> &str {
    match rest {
        "urn:address" => "tns:address",
        "urn:location" => "tns:location",
        "urn:JSON" | "urn:json" => "tns:json",
        other => other,
    }
}

pub(crate) fn sobject(org: &Org, name: &str) -> Result<wire::DescribeSObjectResult, Fault> {
    let object = org.objects.get(name).ok_or_else(|| {
        Fault::new(
            "INVALID_TYPE",
            format!("sObject type '{name}' is not supported."),
            Detail::InvalidSObject { row: 0, column: 0 },
        )
    })?;
    let fields = object.fields.iter().map(field).collect();
    let child_relationships = object
        .child_relationships
        .iter()
        .map(|c| wire::ChildRelationship {
            cascade_delete: c.cascade_delete,
            child_s_object: c.child_sobject.clone(),
            field: c.field.clone(),
            relationship_name: c.relationship_name.clone(),
            ..Default::default()
        })
        .collect();
    Ok(wire::DescribeSObjectResult {
        child_relationships,
        createable: object.createable,
        custom: object.custom,
        deletable: object.deletable,
        fields,
        key_prefix: object.key_prefix.clone(),
        label: object.label.clone(),
        label_plural: plural(object),
        layoutable: true,
        name: object.name.clone(),
        queryable: object.queryable,
        replicateable: true,
        retrieveable: true,
        searchable: true,
        undeletable: object.deletable,
        updateable: object.updateable,
        ..Default::default()
    })
}

fn field(f: &sforce_codegen::describe::FieldDescribe) -> wire::FieldDef {
    wire::FieldDef {
        aggregatable: true,
        byte_length: (f.length * 3) as i32,
        calculated: f.calculated,
        compound_field_name: f.compound_field_name.clone(),
        createable: f.createable,
        custom: f.custom,
        defaulted_on_create: f.defaulted_on_create,
        digits: f.digits as i32,
        external_id: Some(f.external_id),
        filterable: true,
        groupable: true,
        id_lookup: f.id_lookup,
        inline_help_text: f.inline_help_text.clone(),
        label: f.label.clone(),
        length: f.length as i32,
        name: f.name.clone(),
        name_field: f.name_field,
        nillable: f.nillable,
        picklist_values: f
            .picklist_values
            .iter()
            .map(|p| wire::PicklistEntry {
                active: p.active,
                default_value: p.default_value,
                label: p.label.clone(),
                value: p.value.clone(),
                valid_for: None,
            })
            .collect(),
        precision: f.precision as i32,
        reference_to: f.reference_to.clone(),
        relationship_name: f.relationship_name.clone(),
        restricted_picklist: f.restricted_picklist,
        scale: f.scale as i32,
        soap_type: wire::SoapType::from(soap_type(&f.soap_type)),
        sortable: Some(true),
        type_: wire::FieldType::from(f.field_type.as_str()),
        unique: f.unique,
        updateable: f.updateable,
        ..Default::default()
    }
}

/// The objects the bundled "Sales" app shows as tabs, in tab order.
const SALES_TABS: [&str; 7] = [
    "Account",
    "Contact",
    "Lead",
    "Opportunity",
    "Case",
    "Campaign",
    "Document",
];

/// One app, "Sales", with a tab per standard object the org has.
pub(crate) fn tabs(org: &Org) -> Vec<wire::DescribeTabSetResult> {
    let tabs = SALES_TABS
        .iter()
        .filter_map(|name| org.objects.get(name))
        .map(|object| {
            let icon = format!("/img/icon/{}32.png", object.name.to_ascii_lowercase());
            wire::DescribeTab {
                colors: vec![wire::DescribeColor {
                    color: "1797C0".to_owned(),
                    context: "primary".to_owned(),
                    theme: "theme4".to_owned(),
                }],
                custom: object.custom,
                icon_url: icon.clone(),
                icons: vec![wire::DescribeIcon {
                    content_type: "image/png".to_owned(),
                    height: Some(32),
                    theme: "theme3".to_owned(),
                    url: icon.clone(),
                    width: Some(32),
                }],
                label: plural(object),
                mini_icon_url: icon.replace("32.png", "16.png"),
                name: format!("standard-{}", object.name),
                sobject_name: Some(object.name.clone()),
                url: format!("/{}/o", object.key_prefix.as_deref().unwrap_or("")),
            }
        })
        .collect();
    vec![wire::DescribeTabSetResult {
        description: "Manage your sales process".to_owned(),
        label: "Sales".to_owned(),
        logo_url: "/img/seasonLogos/sales_logo.png".to_owned(),
        namespace: None,
        selected: true,
        tab_set_id: "02u000000000001".to_owned(),
        tabs,
    }]
}

/// One page layout per object, derived from the describe: an "Information" section of
/// the writable fields two per row (required ones marked), and a "System Information"
/// section of the read-only ones; no record types.
pub(crate) fn layout(
    org: &mut Org,
    request: &wire::DescribeLayoutRequest,
) -> Result<wire::DescribeLayoutResult, Fault> {
    let object = org
        .objects
        .get(&request.s_object_type)
        .cloned()
        .ok_or_else(|| {
            Fault::new(
                "INVALID_TYPE",
                format!("sObject type '{}' is not supported.", request.s_object_type),
                Detail::InvalidSObject { row: 0, column: 0 },
            )
        })?;
    let layout_id = org.next_id("00h")?;
    let item = |f: &sforce_codegen::describe::FieldDescribe| wire::DescribeLayoutItem {
        editable_for_new: f.createable,
        editable_for_update: f.updateable,
        label: Some(f.label.clone()),
        layout_components: vec![wire::DescribeLayoutComponentKind::DescribeLayoutComponent(
            wire::DescribeLayoutComponent {
                display_lines: 1,
                tab_order: 0,
                type_: wire::LayoutComponentType::Field,
                value: Some(f.name.clone()),
            },
        )],
        placeholder: false,
        required: f.createable && !f.nillable && !f.defaulted_on_create,
        ui_behavior: Vec::new(),
    };
    let section = |heading: &str, fields: Vec<&sforce_codegen::describe::FieldDescribe>| {
        let layout_rows: Vec<wire::DescribeLayoutRow> = fields
            .chunks(2)
            .map(|pair| wire::DescribeLayoutRow {
                layout_items: pair.iter().map(|f| item(f)).collect(),
                num_items: pair.len() as i32,
            })
            .collect();
        wire::DescribeLayoutSection {
            collapsed: false,
            columns: 2,
            heading: Some(heading.to_owned()),
            rows: layout_rows.len() as i32,
            layout_rows,
            layout_section_id: None,
            parent_layout_id: layout_id,
            tab_order: wire::TabOrderType::LeftToRight,
            use_collapsible_section: false,
            use_heading: true,
        }
    };
    let shown = |f: &&sforce_codegen::describe::FieldDescribe| {
        crate::schema::kind(f) != crate::schema::Kind::Compound
            && f.name != "Id"
            && f.name != "IsDeleted"
    };
    let writable: Vec<_> = object
        .fields
        .iter()
        .filter(shown)
        .filter(|f| f.createable || f.updateable)
        .collect();
    let system: Vec<_> = object
        .fields
        .iter()
        .filter(shown)
        .filter(|f| !f.createable && !f.updateable)
        .collect();
    let sections = vec![
        section(&format!("{} Information", object.label), writable),
        section("System Information", system),
    ];
    Ok(wire::DescribeLayoutResult {
        layouts: vec![wire::DescribeLayout {
            detail_layout_sections: sections.clone(),
            edit_layout_sections: sections,
            id: Some(layout_id),
            ..Default::default()
        }],
        record_type_mappings: Vec::new(),
        record_type_selector_required: false,
    })
}
