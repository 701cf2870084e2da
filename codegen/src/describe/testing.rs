//! Test support: synthetic schemas for measuring generation and compile time on many
//! objects (the issue asks for a 200-object measurement). Not a stable API.

use super::model::{SObjectDescribe, Schema};

/// The API name of clone `group` of `template` in [`synthetic_schema`]:
/// `Syn003_Account__c`.
pub fn synthetic_name(group: usize, template: &str) -> String {
    let stem = template.strip_suffix("__c").unwrap_or(template);
    format!("Syn{group:03}_{stem}__c")
}

/// A schema of `count` custom objects cloned from `templates` (real dumps) in groups:
/// object `i` is a clone of `templates[i % templates.len()]` in group
/// `i / templates.len()`, named by [`synthetic_name`]. References and child
/// relationships between templates are retargeted to the clones of the same group, so
/// each group has the relationships of the originals; references to objects outside the
/// templates (or to clones beyond `count`) are left as they are.
///
/// ```
/// use sforce_codegen::describe::{testing::synthetic_schema, SObjectDescribe};
/// let account = SObjectDescribe { name: "Account".into(), ..Default::default() };
/// let schema = synthetic_schema(&[account], 3);
/// assert_eq!(schema.len(), 3);
/// assert!(schema.get("Syn002_Account__c").is_some());
/// ```
pub fn synthetic_schema(templates: &[SObjectDescribe], count: usize) -> Schema {
    let mut schema = Schema::new();
    if templates.is_empty() {
        return schema;
    }
    let rename = |group: usize, name: &str| -> Option<String> {
        let position = templates
            .iter()
            .position(|t| t.name.eq_ignore_ascii_case(name))?;
        (group * templates.len() + position < count)
            .then(|| synthetic_name(group, &templates[position].name))
    };
    for i in 0..count {
        let group = i / templates.len();
        let template = &templates[i % templates.len()];
        let mut object = template.clone();
        object.name = synthetic_name(group, &template.name);
        object.label = format!("{} {group}", template.label);
        object.custom = true;
        object.source = None;
        for field in &mut object.fields {
            for target in &mut field.reference_to {
                if let Some(renamed) = rename(group, target) {
                    *target = renamed;
                }
            }
        }
        for child in &mut object.child_relationships {
            if let Some(renamed) = rename(group, &child.child_sobject) {
                child.child_sobject = renamed;
            }
        }
        schema.insert(object);
    }
    schema
}
