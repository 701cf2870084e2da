//! SOQL on SQLite: the project's SOQL parser (`sforce_codegen::soql`) reads the statement,
//! this module resolves its names against the describes and writes one SQL statement per
//! (sub)query; rows come back as the partner `sObject`s Salesforce would send.
//!
//! Parent paths become `LEFT JOIN`s (a polymorphic reference joins every target and
//! takes whichever matched), child subqueries run once per parent row, semi-joins become
//! `IN (SELECT …)`, and date literals become ranges on the org's clock (UTC).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::types::Value;
use sforce::{AnyValue, ChildQuery, FieldValue, SObject};
use sforce_codegen::describe::{FieldDescribe, SObjectDescribe};
use sforce_codegen::soql::ast::{
    Condition, CountKind, Expr, FieldsScope, Function, Ident, Operand, Operator, Path, QueryOption,
    Select, SelectExpr, Value as SoqlValue, ValueKind,
};

use crate::fault::{row_column, Detail, Fault};
use crate::org::Org;
use crate::schema::{self, kind, quote, Kind};

/// What a query returned: every matching record (a cursor pages them), or for
/// `SELECT COUNT() …` only the count.
#[derive(Debug)]
pub(crate) struct Output {
    pub records: Vec<SObject>,
    pub size: usize,
}

/// Runs `soql`; `all_rows` (queryAll, or `ALL ROWS`) includes deleted records.
pub(crate) fn run(org: &Org, soql: &str, all_rows: bool) -> Result<Output, Fault> {
    let query = sforce_codegen::soql::parse(soql).map_err(|errors| {
        let error = &errors[0];
        let (row, column) = row_column(soql, error.span.start);
        Fault::new(
            "MALFORMED_QUERY",
            format!(
                "\n{}\n{}^\nERROR at Row:{row}:Column:{column}\n{}",
                soql.lines().nth(row as usize - 1).unwrap_or(soql),
                " ".repeat(column as usize - 1),
                error.message
            ),
            Detail::MalformedQuery { row, column },
        )
    })?;
    let statement = &query.statement;
    let all_rows = all_rows
        || statement
            .options
            .iter()
            .any(|(option, _)| *option == QueryOption::AllRows);
    let mut counter = 0;
    let plan = Plan::build(org, soql, statement, None, all_rows, &mut counter)?;
    plan.execute(org, None)
}

/// One SELECT written as SQL, and how its rows become sObjects.
struct Plan {
    object: Arc<SObjectDescribe>,
    sql: String,
    params: Vec<Value>,
    /// Column kinds, by position.
    kinds: Vec<Kind>,
    items: Vec<Item>,
    /// The root record's Id is selected (written), not only fetched (column 0).
    id_selected: bool,
    count_only: bool,
    aggregate: bool,
}

/// One element of a result record, in SELECT-list order.
enum Item {
    /// A field: its API name as described (or its alias), and its column.
    Field { name: String, column: usize },
    /// An aggregate value (`expr0`, or its alias), written with its `xsi:type`.
    Aggregate {
        name: String,
        column: usize,
        xsi_type: &'static str,
    },
    /// A parent relationship (`Account`), with what was selected from it.
    Parent(Box<Parent>),
    /// A child relationship subquery (`Contacts`).
    Child { name: String, plan: Box<Plan> },
    /// `TYPEOF What WHEN Account THEN … ELSE … END`: the parent, with the items of the
    /// branch its type picks.
    TypeOf(Box<TypeOfItem>),
}

struct TypeOfItem {
    name: String,
    id_column: usize,
    type_column: usize,
    /// Per WHEN: the object name, whether `Id` was listed, the items.
    branches: Vec<(String, bool, Vec<Item>)>,
    /// The ELSE fields (any target).
    otherwise: (bool, Vec<Item>),
}

struct Parent {
    name: String,
    id_column: usize,
    type_column: usize,
    id_selected: bool,
    items: Vec<Item>,
}

/// A joined parent: each target object (one, or several for a polymorphic reference) and
/// its table alias.
#[derive(Clone)]
struct Joined {
    targets: Vec<(String, Arc<SObjectDescribe>)>,
}

/// A resolved field reference.
struct Resolved {
    /// The relationships walked, each with its describe name and join.
    chain: Vec<(String, Joined)>,
    /// The field's API name as described.
    name: String,
    sql: String,
    kind: Kind,
    field: FieldDescribe,
}

struct Builder<'a> {
    org: &'a Org,
    text: &'a str,
    root: Joined,
    /// FROM alias and relationship aliases (lower case) → the path they stand for.
    aliases: HashMap<String, Vec<Ident>>,
    from_alias: Option<String>,
    joins: String,
    join_map: HashMap<(String, String), Joined>,
    columns: Vec<String>,
    kinds: Vec<Kind>,
    params: Vec<Value>,
    counter: &'a mut usize,
}

impl Plan {
    /// Plans `select`. `child_of`: for a child subquery, the parent object, whose child
    /// relationship `FROM` names.
    fn build(
        org: &Org,
        text: &str,
        select: &Select,
        child_of: Option<&SObjectDescribe>,
        all_rows: bool,
        counter: &mut usize,
    ) -> Result<Plan, Fault> {
        let from = &select.from;
        let (object, parent_field) = match child_of {
            None => {
                let name = from.path.last_name();
                let object = org.objects.get(name).ok_or_else(|| {
                    invalid_type(text, &from.path.segments[from.path.segments.len() - 1])
                })?;
                (object.clone(), None)
            }
            Some(parent) => {
                let segment = &from.path.segments[from.path.segments.len() - 1];
                let relation = parent.child_relationship(&segment.name).ok_or_else(|| {
                    let (row, column) = row_column(text, segment.span.start);
                    Fault::new(
                        "INVALID_TYPE",
                        format!(
                            "\n{}\nERROR at Row:{row}:Column:{column}\nDidn't understand relationship '{}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
                            text, segment.name
                        ),
                        Detail::InvalidSObject { row, column },
                    )
                })?;
                let child = org
                    .objects
                    .get(&relation.child_sobject)
                    .ok_or_else(|| invalid_type(text, segment))?;
                (child.clone(), Some(relation.field.clone()))
            }
        };
        *counter += 1;
        let root_alias = format!("t{counter}");
        let mut b = Builder {
            org,
            text,
            root: Joined {
                targets: vec![(root_alias.clone(), object.clone())],
            },
            aliases: HashMap::new(),
            from_alias: from.alias.as_ref().map(|a| a.name.to_ascii_lowercase()),
            joins: String::new(),
            join_map: HashMap::new(),
            columns: vec![format!("{root_alias}.\"Id\"")],
            kinds: vec![Kind::Id],
            params: Vec::new(),
            counter,
        };
        for relationship in &from.relationships {
            if let Some(alias) = &relationship.alias {
                let expanded = b.expand(&relationship.path.segments);
                b.aliases.insert(alias.name.to_ascii_lowercase(), expanded);
            }
        }

        let aggregate = select.group_by.is_some()
            || select.fields.iter().any(
                |item| matches!(&item.expr, SelectExpr::Call(call) if call.function.is_aggregate()),
            );
        let count_only = select.is_count_only();
        let mut items = Vec::new();
        let mut id_selected = false;
        let mut unnamed = 0;
        if !count_only {
            for item in &select.fields {
                let alias = item.alias.as_ref().map(|a| a.name.clone());
                match &item.expr {
                    SelectExpr::Field(path) => {
                        let resolved = b.resolve(path)?;
                        if aggregate {
                            let column = b.column(resolved.sql.clone(), resolved.kind);
                            items.push(Item::Field {
                                name: alias.unwrap_or(resolved.name),
                                column,
                            });
                        } else {
                            b.place(&mut items, &mut id_selected, resolved)?;
                        }
                    }
                    SelectExpr::Call(call) if call.function.is_aggregate() => {
                        let name = alias.unwrap_or_else(|| {
                            let name = format!("expr{unnamed}");
                            unnamed += 1;
                            name
                        });
                        let (sql, xsi_type, kind) = b.aggregate(call)?;
                        let column = b.column(sql, kind);
                        items.push(Item::Aggregate {
                            name,
                            column,
                            xsi_type,
                        });
                    }
                    SelectExpr::Call(call) => {
                        // toLabel, FORMAT, convertCurrency: the stored value, as an
                        // org with one language and currency answers.
                        let Some(Expr::Field(path)) = call.args.first() else {
                            return Err(malformed(
                                text,
                                call.span.start,
                                &format!("{} is not supported by the local org", call.name.name),
                            ));
                        };
                        let resolved = b.resolve(path)?;
                        b.place(&mut items, &mut id_selected, resolved)?;
                    }
                    SelectExpr::Fields { scope, .. } => {
                        let names: Vec<String> = object
                            .fields
                            .iter()
                            .filter(|f| schema::kind(f) != Kind::Compound)
                            .filter(|f| match scope {
                                FieldsScope::All => true,
                                FieldsScope::Standard => !f.custom,
                                FieldsScope::Custom => f.custom,
                            })
                            .map(|f| f.name.clone())
                            .collect();
                        for name in names {
                            let resolved = b.resolve_names(&[name], item.span.start)?;
                            b.place(&mut items, &mut id_selected, resolved)?;
                        }
                    }
                    SelectExpr::Subquery(sub) => {
                        let plan = Plan::build(org, text, sub, Some(&object), all_rows, b.counter)?;
                        let name = object
                            .child_relationship(sub.from.path.last_name())
                            .and_then(|r| r.relationship_name.clone())
                            .unwrap_or_else(|| sub.from.path.last_name().to_owned());
                        items.push(Item::Child {
                            name,
                            plan: Box::new(plan),
                        });
                    }
                    SelectExpr::TypeOf(type_of) => {
                        let item = b.type_of(type_of)?;
                        items.push(item);
                    }
                }
            }
        }

        let mut conditions = Vec::new();
        if !all_rows {
            conditions.push(format!("{root_alias}.\"IsDeleted\" = 0"));
        }
        if let Some(field) = &parent_field {
            conditions.push(format!("{root_alias}.{} = ?", quote(field)));
            b.params.push(Value::Null); // the parent's Id, set per parent row
        }
        if let Some(condition) = &select.where_clause {
            let sql = b.condition(condition)?;
            conditions.push(format!("({sql})"));
        }
        let mut group = String::new();
        if let Some(group_by) = &select.group_by {
            let mut parts = Vec::new();
            for expr in &group_by.items {
                parts.push(b.expr(expr)?.sql);
            }
            group = format!(" GROUP BY {}", parts.join(", "));
        }
        let mut having = String::new();
        if let Some(condition) = &select.having {
            having = format!(" HAVING {}", b.condition(condition)?);
        }
        let mut order = Vec::new();
        for item in &select.order_by {
            let resolved = b.expr(&item.expr)?;
            let mut part = resolved.sql;
            if item.descending == Some(true) {
                part.push_str(" DESC");
            }
            match item.nulls_first {
                Some(true) => part.push_str(" NULLS FIRST"),
                Some(false) => part.push_str(" NULLS LAST"),
                None => {}
            }
            order.push(part);
        }
        if !aggregate {
            order.push(format!("{root_alias}.rowid"));
        }
        let mut tail = String::new();
        if !order.is_empty() && !count_only {
            tail.push_str(&format!(" ORDER BY {}", order.join(", ")));
        }
        let count =
            |count: &Option<sforce_codegen::soql::ast::Count>| -> Result<Option<u64>, Fault> {
                match count {
                    None => Ok(None),
                    Some(c) => match c.kind {
                        CountKind::Number(n) => Ok(Some(n)),
                        CountKind::Bind(_) => Err(malformed(text, c.span.start, "unexpected bind")),
                    },
                }
            };
        let limit = count(&select.limit)?;
        let offset = count(&select.offset)?;
        if let Some(limit) = limit {
            tail.push_str(&format!(" LIMIT {limit}"));
        } else if offset.is_some() {
            tail.push_str(" LIMIT -1");
        }
        if let Some(offset) = offset {
            tail.push_str(&format!(" OFFSET {offset}"));
        }

        let columns = if count_only {
            "COUNT(*)".to_owned()
        } else if aggregate {
            b.columns[1..].join(", ")
        } else {
            b.columns.join(", ")
        };
        if conditions.is_empty() {
            conditions.push("1".to_owned());
        }
        let sql = format!(
            "SELECT {columns} FROM {} {root_alias}{} WHERE {}{group}{having}{tail}",
            quote(&object.name),
            b.joins,
            conditions.join(" AND "),
        );
        let mut kinds = b.kinds;
        if aggregate {
            kinds.remove(0);
            shift_columns(&mut items);
        }
        Ok(Plan {
            object,
            sql,
            params: b.params,
            kinds,
            items,
            id_selected,
            count_only,
            aggregate,
        })
    }

    /// Runs the plan; `parent_id` fills the first parameter of a child subquery.
    fn execute(&self, org: &Org, parent_id: Option<&str>) -> Result<Output, Fault> {
        let mut params = self.params.clone();
        if let Some(id) = parent_id {
            if let Some(slot) = params.first_mut() {
                *slot = Value::Text(id.to_owned());
            }
        }
        let mut statement = org
            .db
            .prepare_cached(&self.sql)
            .map_err(|e| sql_fault(&self.sql, e))?;
        let mut rows = statement
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(|e| sql_fault(&self.sql, e))?;
        if self.count_only {
            let count: i64 = match rows.next().map_err(|e| sql_fault(&self.sql, e))? {
                Some(row) => row.get(0).map_err(|e| sql_fault(&self.sql, e))?,
                None => 0,
            };
            return Ok(Output {
                records: Vec::new(),
                size: count as usize,
            });
        }
        let mut table: Vec<Vec<Option<String>>> = Vec::new();
        while let Some(row) = rows.next().map_err(|e| sql_fault(&self.sql, e))? {
            let mut values = Vec::with_capacity(self.kinds.len());
            for (i, kind) in self.kinds.iter().enumerate() {
                let value = row.get_ref(i).map_err(|e| sql_fault(&self.sql, e))?;
                values.push(schema::to_wire(*kind, value));
            }
            table.push(values);
        }
        drop(rows);
        drop(statement);
        let mut records = Vec::with_capacity(table.len());
        for values in &table {
            let type_name = if self.aggregate {
                "AggregateResult"
            } else {
                self.object.name.as_str()
            };
            let mut record = SObject::new(type_name);
            if self.id_selected {
                record.id = values[0].clone();
            }
            let root_id = if self.aggregate {
                None
            } else {
                values[0].as_deref()
            };
            fill(org, &mut record, &self.items, values, root_id)?;
            records.push(record);
        }
        let size = records.len();
        Ok(Output { records, size })
    }
}

/// Aggregate plans drop the hidden Id column 0: every column index moves down by one.
fn shift_columns(items: &mut [Item]) {
    for item in items {
        match item {
            Item::Field { column, .. } | Item::Aggregate { column, .. } => *column -= 1,
            Item::Parent(parent) => shift_columns(&mut parent.items),
            Item::Child { .. } | Item::TypeOf(_) => {}
        }
    }
}

fn fill(
    org: &Org,
    record: &mut SObject,
    items: &[Item],
    values: &[Option<String>],
    id: Option<&str>,
) -> Result<(), Fault> {
    for item in items {
        match item {
            Item::Field { name, column } => match &values[*column] {
                Some(text) => {
                    record.set(name, text.as_str());
                }
                None => push_null(record, name),
            },
            Item::Aggregate {
                name,
                column,
                xsi_type,
            } => match &values[*column] {
                Some(text) => {
                    record.set(
                        name,
                        FieldValue::Any(Box::new(AnyValue::new(*xsi_type, text.as_str()))),
                    );
                }
                None => push_null(record, name),
            },
            Item::Parent(parent) => match &values[parent.id_column] {
                None => push_null(record, &parent.name),
                Some(parent_id) => {
                    let type_name = values[parent.type_column].clone().unwrap_or_default();
                    let mut nested = SObject::new(type_name);
                    if parent.id_selected {
                        nested.id = Some(parent_id.clone());
                    }
                    fill(org, &mut nested, &parent.items, values, Some(parent_id))?;
                    record.set(&parent.name, FieldValue::SObject(Box::new(nested)));
                }
            },
            Item::TypeOf(type_of) => match &values[type_of.id_column] {
                None => push_null(record, &type_of.name),
                Some(parent_id) => {
                    let type_name = values[type_of.type_column].clone().unwrap_or_default();
                    let (id_selected, items) = type_of
                        .branches
                        .iter()
                        .find(|(object, _, _)| object.eq_ignore_ascii_case(&type_name))
                        .map(|(_, id, items)| (*id, items))
                        .unwrap_or((type_of.otherwise.0, &type_of.otherwise.1));
                    let mut nested = SObject::new(type_name);
                    if id_selected {
                        nested.id = Some(parent_id.clone());
                    }
                    fill(org, &mut nested, items, values, Some(parent_id))?;
                    record.set(&type_of.name, FieldValue::SObject(Box::new(nested)));
                }
            },
            Item::Child { name, plan } => {
                let children = plan.execute(org, id)?;
                if children.records.is_empty() {
                    push_null(record, name);
                } else {
                    record.set(
                        name,
                        FieldValue::Query(Box::new(ChildQuery {
                            done: true,
                            query_locator: None,
                            size: children.size as i32,
                            records: children.records,
                        })),
                    );
                }
            }
        }
    }
    Ok(())
}

/// A null field in a result: kept as a field (written `xsi:nil`), not a `fieldsToNull`.
fn push_null(record: &mut SObject, name: &str) {
    record.set_null(name);
    record.fields_to_null.retain(|n| n != name);
}

impl Builder<'_> {
    fn column(&mut self, sql: String, kind: Kind) -> usize {
        self.columns.push(sql);
        self.kinds.push(kind);
        self.columns.len() - 1
    }

    /// A path with a leading alias replaced by what it stands for (`c.Account.Name` →
    /// `Account.Name`, `a.Name` → `Account.Name` for `c.Account a`).
    fn expand(&self, segments: &[Ident]) -> Vec<Ident> {
        if segments.len() > 1 {
            let first = segments[0].name.to_ascii_lowercase();
            if let Some(path) = self.aliases.get(&first) {
                let mut out = path.clone();
                out.extend_from_slice(&segments[1..]);
                return out;
            }
            let object = &self.root.targets[0].1;
            let is_relationship = object.parent_relationship(&segments[0].name).is_some();
            if self.from_alias.as_deref() == Some(first.as_str())
                || (!is_relationship && segments[0].is(&object.name))
            {
                return segments[1..].to_vec();
            }
        }
        segments.to_vec()
    }

    fn resolve(&mut self, path: &Path) -> Result<Resolved, Fault> {
        let segments = self.expand(&path.segments);
        self.resolve_segments(&segments)
    }

    fn resolve_names(&mut self, names: &[String], at: usize) -> Result<Resolved, Fault> {
        let segments: Vec<Ident> = names
            .iter()
            .map(|n| Ident {
                name: n.clone(),
                span: at..at + n.len(),
            })
            .collect();
        self.resolve_segments(&segments)
    }

    fn resolve_segments(&mut self, segments: &[Ident]) -> Result<Resolved, Fault> {
        let root = self.root.clone();
        self.resolve_from(root, segments)
    }

    /// Resolves `segments` starting at `start` (the FROM object, or a TYPEOF branch's).
    fn resolve_from(&mut self, start: Joined, segments: &[Ident]) -> Result<Resolved, Fault> {
        let mut current = start;
        let mut chain = Vec::new();
        for segment in &segments[..segments.len() - 1] {
            let mut found = None;
            for (alias, object) in &current.targets {
                if let Some(reference) = object.parent_relationship(&segment.name) {
                    found = Some((alias.clone(), reference.clone()));
                    break;
                }
            }
            let Some((alias, reference)) = found else {
                return Err(self.invalid_field(segment, &current, true));
            };
            let key = (alias.clone(), reference.name.clone());
            let joined = match self.join_map.get(&key) {
                Some(joined) => joined.clone(),
                None => {
                    let mut targets = Vec::new();
                    for target in &reference.reference_to {
                        let Some(object) = self.org.objects.get(target) else {
                            continue;
                        };
                        *self.counter += 1;
                        let target_alias = format!("t{}", self.counter);
                        self.joins.push_str(&format!(
                            " LEFT JOIN {} {target_alias} ON {target_alias}.\"Id\" = {alias}.{}",
                            quote(&object.name),
                            quote(&reference.name)
                        ));
                        targets.push((target_alias, object.clone()));
                    }
                    if targets.is_empty() {
                        return Err(self.invalid_field(segment, &current, true));
                    }
                    let joined = Joined { targets };
                    self.join_map.insert(key, joined.clone());
                    joined
                }
            };
            let name = reference.relationship_name.clone().unwrap_or_default();
            chain.push((name, joined.clone()));
            current = joined;
        }
        let last = &segments[segments.len() - 1];
        let mut sources = Vec::new();
        let mut field = None;
        for (alias, object) in &current.targets {
            if let Some(f) = object.field(&last.name) {
                if schema::kind(f) == Kind::Compound {
                    continue;
                }
                sources.push(format!("{alias}.{}", quote(&f.name)));
                field.get_or_insert_with(|| f.clone());
            }
        }
        let Some(field) = field else {
            return Err(self.invalid_field(last, &current, false));
        };
        let sql = if sources.len() == 1 {
            sources.remove(0)
        } else {
            format!("COALESCE({})", sources.join(", "))
        };
        Ok(Resolved {
            chain,
            name: field.name.clone(),
            kind: kind(&field),
            sql,
            field,
        })
    }

    /// `TYPEOF rel WHEN A THEN … [ELSE …] END`: the polymorphic parent joined once, each
    /// branch's fields resolved against its own object.
    fn type_of(&mut self, type_of: &sforce_codegen::soql::ast::TypeOf) -> Result<Item, Fault> {
        let mut segments = self.expand(&type_of.relationship.segments);
        let at = type_of.relationship.span.end;
        segments.push(Ident {
            name: "Id".to_owned(),
            span: at..at,
        });
        let resolved = self.resolve_segments(&segments)?;
        let Some((name, joined)) = resolved.chain.last().cloned() else {
            return Err(malformed(
                self.text,
                type_of.span.start,
                "TYPEOF takes a relationship",
            ));
        };
        let ids: Vec<String> = joined
            .targets
            .iter()
            .map(|(alias, _)| format!("{alias}.\"Id\""))
            .collect();
        let arms: Vec<String> = joined
            .targets
            .iter()
            .map(|(alias, o)| format!("WHEN {alias}.\"Id\" IS NOT NULL THEN '{}'", o.name))
            .collect();
        let id_column = self.column(format!("COALESCE({})", ids.join(", ")), Kind::Id);
        let type_column = self.column(format!("CASE {} END", arms.join(" ")), Kind::Text);
        let mut branches = Vec::new();
        for branch in &type_of.branches {
            let Some(target) = joined
                .targets
                .iter()
                .find(|(_, o)| branch.object.is(&o.name))
                .cloned()
            else {
                return Err(self.invalid_field(&branch.object, &joined, true));
            };
            let only = Joined {
                targets: vec![target],
            };
            let (mut id_selected, mut items) = (false, Vec::new());
            for path in &branch.fields {
                let resolved = self.resolve_from(only.clone(), &path.segments)?;
                self.place(&mut items, &mut id_selected, resolved)?;
            }
            branches.push((branch.object.name.clone(), id_selected, items));
        }
        let (mut id_selected, mut items) = (false, Vec::new());
        for path in type_of.else_fields.iter().flatten() {
            let resolved = self.resolve_from(joined.clone(), &path.segments)?;
            self.place(&mut items, &mut id_selected, resolved)?;
        }
        Ok(Item::TypeOf(Box::new(TypeOfItem {
            name,
            id_column,
            type_column,
            branches,
            otherwise: (id_selected, items),
        })))
    }

    /// Puts a resolved field into the record shape, under its parents.
    fn place(
        &mut self,
        items: &mut Vec<Item>,
        id_selected: &mut bool,
        resolved: Resolved,
    ) -> Result<(), Fault> {
        let mut level = items;
        let mut selected = id_selected;
        for (name, joined) in &resolved.chain {
            let index = level
                .iter()
                .position(|i| matches!(i, Item::Parent(p) if p.name == *name));
            let index = match index {
                Some(index) => index,
                None => {
                    let ids: Vec<String> = joined
                        .targets
                        .iter()
                        .map(|(alias, _)| format!("{alias}.\"Id\""))
                        .collect();
                    let id_sql = if ids.len() == 1 {
                        ids[0].clone()
                    } else {
                        format!("COALESCE({})", ids.join(", "))
                    };
                    let type_sql = if joined.targets.len() == 1 {
                        format!("'{}'", joined.targets[0].1.name)
                    } else {
                        let arms: Vec<String> = joined
                            .targets
                            .iter()
                            .map(|(alias, o)| {
                                format!("WHEN {alias}.\"Id\" IS NOT NULL THEN '{}'", o.name)
                            })
                            .collect();
                        format!("CASE {} END", arms.join(" "))
                    };
                    let id_column = self.column(id_sql, Kind::Id);
                    let type_column = self.column(type_sql, Kind::Text);
                    level.push(Item::Parent(Box::new(Parent {
                        name: name.clone(),
                        id_column,
                        type_column,
                        id_selected: false,
                        items: Vec::new(),
                    })));
                    level.len() - 1
                }
            };
            let Item::Parent(parent) = &mut level[index] else {
                unreachable!("the index was found or made as a parent")
            };
            selected = &mut parent.id_selected;
            level = &mut parent.items;
        }
        if resolved.name == "Id" {
            *selected = true;
            return Ok(());
        }
        if level
            .iter()
            .any(|i| matches!(i, Item::Field { name, .. } if *name == resolved.name))
        {
            return Ok(()); // selected twice: Salesforce sends it once
        }
        let column = self.column(resolved.sql, resolved.kind);
        level.push(Item::Field {
            name: resolved.name,
            column,
        });
        Ok(())
    }

    fn invalid_field(&self, segment: &Ident, on: &Joined, relationship: bool) -> Fault {
        let (row, column) = row_column(self.text, segment.span.start);
        let entity = &on.targets[0].1.name;
        let message = if relationship {
            format!(
                "Didn't understand relationship '{}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
                segment.name
            )
        } else {
            format!(
                "No such column '{}' on entity '{entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
                segment.name
            )
        };
        Fault::new(
            "INVALID_FIELD",
            format!(
                "\n{}\n{}^\nERROR at Row:{row}:Column:{column}\n{message}",
                self.text.lines().nth(row as usize - 1).unwrap_or(self.text),
                " ".repeat(column as usize - 1)
            ),
            Detail::InvalidField { row, column },
        )
    }

    /// An aggregate call's SQL, the `xsi:type` its value is written with, and its kind.
    fn aggregate(
        &mut self,
        call: &sforce_codegen::soql::ast::Call,
    ) -> Result<(String, &'static str, Kind), Fault> {
        let argument = match call.args.first() {
            None => None,
            Some(expr) => Some(self.expr(expr)?),
        };
        let (sql, kind) = match (&call.function, &argument) {
            (Function::Count, None) => ("COUNT(*)".to_owned(), Kind::Integer),
            (Function::Count, Some(a)) => (format!("COUNT({})", a.sql), Kind::Integer),
            (Function::CountDistinct, Some(a)) => {
                (format!("COUNT(DISTINCT {})", a.sql), Kind::Integer)
            }
            (Function::Sum, Some(a)) => (format!("SUM({})", a.sql), a.kind),
            (Function::Avg, Some(a)) => (format!("AVG({})", a.sql), Kind::Real),
            (Function::Min, Some(a)) => (format!("MIN({})", a.sql), a.kind),
            (Function::Max, Some(a)) => (format!("MAX({})", a.sql), a.kind),
            _ => {
                return Err(malformed(
                    self.text,
                    call.span.start,
                    &format!("{} takes one field", call.name.name),
                ))
            }
        };
        let xsi_type = match kind {
            Kind::Integer => "int",
            Kind::Real => "double",
            Kind::Boolean => "boolean",
            Kind::Date => "date",
            Kind::DateTime => "dateTime",
            Kind::Id => "ID",
            _ => "string",
        };
        Ok((sql, xsi_type, kind))
    }

    /// A field or a date function, as SQL.
    fn expr(&mut self, expr: &Expr) -> Result<Operand1, Fault> {
        match expr {
            Expr::Field(path) => {
                let r = self.resolve(path)?;
                Ok(Operand1 {
                    sql: r.sql,
                    kind: r.kind,
                    field: Some(r.field),
                })
            }
            Expr::Call(call) if call.function.is_aggregate() => {
                // In HAVING and ORDER BY of an aggregate query.
                let (sql, _, kind) = self.aggregate(call)?;
                Ok(Operand1 {
                    sql,
                    kind,
                    field: None,
                })
            }
            Expr::Call(call) => {
                let Some(Expr::Field(path)) = call.args.first() else {
                    return Err(malformed(self.text, call.span.start, "expected a field"));
                };
                let r = self.resolve(path)?;
                let format = match call.function {
                    Function::CalendarYear | Function::FiscalYear => "%Y",
                    Function::CalendarMonth | Function::FiscalMonth => "%m",
                    Function::DayInMonth => "%d",
                    Function::DayInYear => "%j",
                    Function::HourInDay => "%H",
                    Function::DayOnly => {
                        return Ok(Operand1 {
                            sql: format!("substr({}, 1, 10)", r.sql),
                            kind: Kind::Date,
                            field: None,
                        })
                    }
                    Function::DayInWeek => {
                        return Ok(Operand1 {
                            sql: format!("(CAST(strftime('%w', {}) AS INTEGER) + 1)", r.sql),
                            kind: Kind::Integer,
                            field: None,
                        })
                    }
                    Function::CalendarQuarter | Function::FiscalQuarter => {
                        return Ok(Operand1 {
                            sql: format!("((CAST(strftime('%m', {}) AS INTEGER) + 2) / 3)", r.sql),
                            kind: Kind::Integer,
                            field: None,
                        })
                    }
                    Function::ToLabel | Function::Format | Function::ConvertCurrency => {
                        return Ok(Operand1 {
                            sql: r.sql,
                            kind: r.kind,
                            field: Some(r.field),
                        })
                    }
                    _ => {
                        return Err(malformed(
                            self.text,
                            call.span.start,
                            &format!("{} is not supported by the local org", call.name.name),
                        ))
                    }
                };
                Ok(Operand1 {
                    sql: format!("CAST(strftime('{format}', {}) AS INTEGER)", r.sql),
                    kind: Kind::Integer,
                    field: None,
                })
            }
            Expr::Value(v) => Err(malformed(self.text, v.span.start, "expected a field")),
        }
    }

    fn condition(&mut self, condition: &Condition) -> Result<String, Fault> {
        Ok(match condition {
            Condition::And(parts, _) | Condition::Or(parts, _) => {
                let joiner = if matches!(condition, Condition::And(..)) {
                    " AND "
                } else {
                    " OR "
                };
                let mut out = Vec::new();
                for part in parts {
                    out.push(format!("({})", self.condition(part)?));
                }
                out.join(joiner)
            }
            Condition::Not(inner, _) => format!("NOT ({})", self.condition(inner)?),
            Condition::Group(inner, _) => format!("({})", self.condition(inner)?),
            Condition::Compare(comparison) => {
                let left = self.expr(&comparison.left)?;
                self.comparison(&left, comparison.op, &comparison.right)?
            }
        })
    }

    fn comparison(
        &mut self,
        left: &Operand1,
        op: Operator,
        right: &Operand,
    ) -> Result<String, Fault> {
        let l = &left.sql;
        match (op, right) {
            (Operator::In | Operator::NotIn, Operand::Subquery(sub)) => {
                let sql = self.semi_join(sub)?;
                let not = if op == Operator::NotIn { "NOT " } else { "" };
                Ok(format!("{l} {not}IN ({sql})"))
            }
            (Operator::Includes | Operator::Excludes, Operand::List(values, _)) => {
                let mut any = Vec::new();
                for value in values {
                    let ValueKind::String(text) = &value.kind else {
                        return Err(malformed(self.text, value.span.start, "expected a string"));
                    };
                    let mut all = Vec::new();
                    for part in text.split(';') {
                        all.push(format!("(';' || {l} || ';') LIKE ? ESCAPE '\\'"));
                        self.params
                            .push(Value::Text(format!("%;{};%", like_escape(part.trim()))));
                    }
                    any.push(format!("({})", all.join(" AND ")));
                }
                let any = any.join(" OR ");
                Ok(if op == Operator::Includes {
                    format!("({any})")
                } else {
                    format!("({l} IS NULL OR NOT ({any}))")
                })
            }
            (Operator::In | Operator::NotIn, Operand::List(values, _)) => {
                let mut slots = Vec::new();
                for value in values {
                    let v = self.value(left, value)?;
                    self.params.push(v);
                    slots.push("?");
                }
                let not = if op == Operator::NotIn { "NOT " } else { "" };
                Ok(format!("{l} {not}IN ({})", slots.join(", ")))
            }
            (_, Operand::Value(value)) => {
                if let ValueKind::DateLiteral { name, n } = &value.kind {
                    return self.date_range(left, op, name, n, value.span.start);
                }
                if matches!(value.kind, ValueKind::Null) {
                    return match op {
                        Operator::Eq => Ok(format!("{l} IS NULL")),
                        Operator::Ne => Ok(format!("{l} IS NOT NULL")),
                        _ => Err(malformed(
                            self.text,
                            value.span.start,
                            "null can only be compared with = or !=",
                        )),
                    };
                }
                let v = self.value(left, value)?;
                let sql = match op {
                    Operator::Like => format!("{l} LIKE ? ESCAPE '\\'"),
                    Operator::Eq => format!("{l} = ?"),
                    Operator::Ne => format!("({l} != ? OR {l} IS NULL)"),
                    Operator::Lt => format!("{l} < ?"),
                    Operator::Le => format!("{l} <= ?"),
                    Operator::Gt => format!("{l} > ?"),
                    Operator::Ge => format!("{l} >= ?"),
                    _ => {
                        return Err(malformed(
                            self.text,
                            value.span.start,
                            &format!("{} expects a list", op.as_str()),
                        ))
                    }
                };
                self.params.push(v);
                Ok(sql)
            }
            (_, other) => Err(malformed(
                self.text,
                other.span().start,
                &format!("unexpected value for {}", op.as_str()),
            )),
        }
    }

    fn semi_join(&mut self, sub: &Select) -> Result<String, Fault> {
        let object = self
            .org
            .objects
            .get(sub.from.path.last_name())
            .ok_or_else(|| invalid_type(self.text, &sub.from.path.segments[0]))?
            .clone();
        *self.counter += 1;
        let alias = format!("t{}", self.counter);
        let Some(item) = sub.fields.first() else {
            return Err(malformed(
                self.text,
                sub.span.start,
                "a semi-join selects one field",
            ));
        };
        let SelectExpr::Field(path) = &item.expr else {
            return Err(malformed(
                self.text,
                item.span.start,
                "a semi-join selects one field",
            ));
        };
        let mut inner = Builder {
            org: self.org,
            text: self.text,
            root: Joined {
                targets: vec![(alias.clone(), object.clone())],
            },
            aliases: HashMap::new(),
            from_alias: sub.from.alias.as_ref().map(|a| a.name.to_ascii_lowercase()),
            joins: String::new(),
            join_map: HashMap::new(),
            columns: Vec::new(),
            kinds: Vec::new(),
            params: Vec::new(),
            counter: self.counter,
        };
        let selected = inner.resolve(path)?.sql;
        let mut conditions = vec![format!("{alias}.\"IsDeleted\" = 0")];
        if let Some(condition) = &sub.where_clause {
            conditions.push(format!("({})", inner.condition(condition)?));
        }
        let sql = format!(
            "SELECT {selected} FROM {} {alias}{} WHERE {}",
            quote(&object.name),
            inner.joins,
            conditions.join(" AND ")
        );
        let params = std::mem::take(&mut inner.params);
        self.params.extend(params);
        Ok(sql)
    }

    /// A literal as the SQL value it is compared with in a field of `left`'s kind.
    fn value(&self, left: &Operand1, value: &SoqlValue) -> Result<Value, Fault> {
        let at = value.span.start;
        Ok(match (&value.kind, left.kind) {
            (ValueKind::Null, _) => Value::Null,
            (ValueKind::String(text), Kind::Id) => match sforce::Id::new(text) {
                Ok(id) => Value::Text(id.as_str().to_owned()),
                Err(_) => {
                    let name = left.field.as_ref().map_or("Id", |f| f.name.as_str());
                    return Err(Fault::new(
                        "INVALID_QUERY_FILTER_OPERATOR",
                        format!("\ninvalid ID field: {text}\nin {name}"),
                        Detail::InvalidField {
                            row: row_column(self.text, at).0,
                            column: row_column(self.text, at).1,
                        },
                    ));
                }
            },
            (ValueKind::String(text), _) => Value::Text(text.clone()),
            (ValueKind::Number(n), Kind::Integer) if !n.contains(['.', 'e', 'E']) => {
                Value::Integer(
                    n.parse()
                        .map_err(|_| malformed(self.text, at, "bad number"))?,
                )
            }
            (ValueKind::Number(n), _) => Value::Real(
                n.parse()
                    .map_err(|_| malformed(self.text, at, "bad number"))?,
            ),
            (ValueKind::Boolean(b), _) => Value::Integer(i64::from(*b)),
            (ValueKind::Date(d), Kind::DateTime) => Value::Text(format!("{d}T00:00:00.000Z")),
            (ValueKind::Date(d), _) => Value::Text(d.clone()),
            (ValueKind::DateTime(text), Kind::Date) => Value::Text(text[..10].to_owned()),
            (ValueKind::DateTime(text), _) => match sforce::convert::parse_datetime(text) {
                Some(at) => Value::Text(schema::datetime_text(at)),
                None => return Err(malformed(self.text, at, "bad datetime")),
            },
            (ValueKind::Time(t), _) => Value::Text(t.clone()),
            (ValueKind::Currency { amount, .. }, _) => Value::Real(
                amount
                    .parse()
                    .map_err(|_| malformed(self.text, at, "bad amount"))?,
            ),
            (ValueKind::Bind(_), _) => {
                return Err(malformed(
                    self.text,
                    at,
                    "binds are filled in by the client",
                ))
            }
            (ValueKind::DateLiteral { .. }, _) => {
                return Err(malformed(self.text, at, "a date literal in a list"))
            }
        })
    }

    /// `CreatedDate = LAST_N_DAYS:7` and the like: the literal's range on the clock.
    fn date_range(
        &mut self,
        left: &Operand1,
        op: Operator,
        name: &str,
        n: &Option<CountKind>,
        at: usize,
    ) -> Result<String, Fault> {
        let n = match n {
            None => 0,
            Some(CountKind::Number(n)) => *n as i64,
            Some(CountKind::Bind(_)) => {
                return Err(malformed(
                    self.text,
                    at,
                    "binds are filled in by the client",
                ))
            }
        };
        let today = self.org.clock.now().date_naive();
        let (start, end) = date_literal(name, n, today)
            .ok_or_else(|| malformed(self.text, at, &format!("unknown date literal {name}")))?;
        let bound = |d: NaiveDate| -> Value {
            if left.kind == Kind::DateTime {
                Value::Text(format!("{}T00:00:00.000Z", d.format("%Y-%m-%d")))
            } else {
                Value::Text(d.format("%Y-%m-%d").to_string())
            }
        };
        let l = &left.sql;
        let (sql, values) = match op {
            Operator::Eq => (
                format!("({l} >= ? AND {l} < ?)"),
                vec![bound(start), bound(end)],
            ),
            Operator::Ne => (
                format!("({l} < ? OR {l} >= ?)"),
                vec![bound(start), bound(end)],
            ),
            Operator::Lt => (format!("{l} < ?"), vec![bound(start)]),
            Operator::Le => (format!("{l} < ?"), vec![bound(end)]),
            Operator::Gt => (format!("{l} >= ?"), vec![bound(end)]),
            Operator::Ge => (format!("{l} >= ?"), vec![bound(start)]),
            _ => {
                return Err(malformed(
                    self.text,
                    at,
                    "a date literal takes =, !=, <, <=, > or >=",
                ))
            }
        };
        self.params.extend(values);
        Ok(sql)
    }
}

/// A comparable SQL expression.
struct Operand1 {
    sql: String,
    kind: Kind,
    field: Option<FieldDescribe>,
}

/// `[start, end)` of a date literal on `today` (weeks start on Sunday; the fiscal year is
/// the calendar year, Salesforce's default).
pub(crate) fn date_literal(name: &str, n: i64, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let day = Duration::days(1);
    let week_start = today - Duration::days(i64::from(today.weekday().num_days_from_sunday()));
    let month_start = today.with_day(1)?;
    let quarter_start = NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1)?;
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1)?;
    let months = |from: NaiveDate, k: i64| -> Option<NaiveDate> {
        let total = from.year() as i64 * 12 + from.month0() as i64 + k;
        NaiveDate::from_ymd_opt(
            (total.div_euclid(12)) as i32,
            (total.rem_euclid(12) + 1) as u32,
            1,
        )
    };
    let years = |k: i64| NaiveDate::from_ymd_opt(today.year() + k as i32, 1, 1);
    Some(match name {
        "TODAY" => (today, today + day),
        "YESTERDAY" => (today - day, today),
        "TOMORROW" => (today + day, today + day + day),
        "THIS_WEEK" => (week_start, week_start + Duration::weeks(1)),
        "LAST_WEEK" => (week_start - Duration::weeks(1), week_start),
        "NEXT_WEEK" => (
            week_start + Duration::weeks(1),
            week_start + Duration::weeks(2),
        ),
        "THIS_MONTH" => (month_start, months(month_start, 1)?),
        "LAST_MONTH" => (months(month_start, -1)?, month_start),
        "NEXT_MONTH" => (months(month_start, 1)?, months(month_start, 2)?),
        "LAST_90_DAYS" => (today - Duration::days(90), today + day),
        "NEXT_90_DAYS" => (today + day, today + Duration::days(91)),
        "THIS_QUARTER" | "THIS_FISCAL_QUARTER" => (quarter_start, months(quarter_start, 3)?),
        "LAST_QUARTER" | "LAST_FISCAL_QUARTER" => (months(quarter_start, -3)?, quarter_start),
        "NEXT_QUARTER" | "NEXT_FISCAL_QUARTER" => {
            (months(quarter_start, 3)?, months(quarter_start, 6)?)
        }
        "THIS_YEAR" | "THIS_FISCAL_YEAR" => (year_start, years(1)?),
        "LAST_YEAR" | "LAST_FISCAL_YEAR" => (years(-1)?, year_start),
        "NEXT_YEAR" | "NEXT_FISCAL_YEAR" => (years(1)?, years(2)?),
        "LAST_N_DAYS" => (today - Duration::days(n), today + day),
        "NEXT_N_DAYS" => (today + day, today + day + Duration::days(n)),
        "N_DAYS_AGO" => (today - Duration::days(n), today - Duration::days(n) + day),
        "LAST_N_WEEKS" => (week_start - Duration::weeks(n), week_start),
        "NEXT_N_WEEKS" => (
            week_start + Duration::weeks(1),
            week_start + Duration::weeks(1 + n),
        ),
        "N_WEEKS_AGO" => (
            week_start - Duration::weeks(n),
            week_start - Duration::weeks(n - 1),
        ),
        "LAST_N_MONTHS" => (months(month_start, -n)?, month_start),
        "NEXT_N_MONTHS" => (months(month_start, 1)?, months(month_start, 1 + n)?),
        "N_MONTHS_AGO" => (months(month_start, -n)?, months(month_start, 1 - n)?),
        "LAST_N_QUARTERS" | "LAST_N_FISCAL_QUARTERS" => {
            (months(quarter_start, -3 * n)?, quarter_start)
        }
        "NEXT_N_QUARTERS" | "NEXT_N_FISCAL_QUARTERS" => {
            (months(quarter_start, 3)?, months(quarter_start, 3 + 3 * n)?)
        }
        "N_QUARTERS_AGO" | "N_FISCAL_QUARTERS_AGO" => (
            months(quarter_start, -3 * n)?,
            months(quarter_start, 3 - 3 * n)?,
        ),
        "LAST_N_YEARS" | "LAST_N_FISCAL_YEARS" => (years(-n)?, year_start),
        "NEXT_N_YEARS" | "NEXT_N_FISCAL_YEARS" => (years(1)?, years(1 + n)?),
        "N_YEARS_AGO" | "N_FISCAL_YEARS_AGO" => (years(-n)?, years(1 - n)?),
        _ => return None,
    })
}

fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn malformed(text: &str, at: usize, message: &str) -> Fault {
    let (row, column) = row_column(text, at);
    Fault::new(
        "MALFORMED_QUERY",
        format!("\n{text}\nERROR at Row:{row}:Column:{column}\n{message}"),
        Detail::MalformedQuery { row, column },
    )
}

fn invalid_type(text: &str, segment: &Ident) -> Fault {
    let (row, column) = row_column(text, segment.span.start);
    Fault::new(
        "INVALID_TYPE",
        format!(
            "\n{text}\nERROR at Row:{row}:Column:{column}\nsObject type '{}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
            segment.name
        ),
        Detail::InvalidSObject { row, column },
    )
}

fn sql_fault(sql: &str, error: rusqlite::Error) -> Fault {
    Fault::unexpected(
        "UNKNOWN_EXCEPTION",
        format!("the local org could not run its SQL for this query ({error}): {sql}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_literals_are_ranges_on_the_day() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(); // a Thursday
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            date_literal("TODAY", 0, today),
            Some((d("2026-12-03"), d("2026-12-04")))
        );
        assert_eq!(
            date_literal("THIS_WEEK", 0, today),
            Some((d("2026-11-29"), d("2026-12-06")))
        );
        assert_eq!(
            date_literal("LAST_MONTH", 0, today),
            Some((d("2026-11-01"), d("2026-12-01")))
        );
        assert_eq!(
            date_literal("NEXT_MONTH", 0, today),
            Some((d("2027-01-01"), d("2027-02-01")))
        );
        assert_eq!(
            date_literal("THIS_QUARTER", 0, today),
            Some((d("2026-10-01"), d("2027-01-01")))
        );
        assert_eq!(
            date_literal("LAST_N_DAYS", 7, today),
            Some((d("2026-11-26"), d("2026-12-04")))
        );
        assert_eq!(
            date_literal("N_MONTHS_AGO", 12, today),
            Some((d("2025-12-01"), d("2026-01-01")))
        );
        assert_eq!(
            date_literal("LAST_N_YEARS", 2, today),
            Some((d("2024-01-01"), d("2026-01-01")))
        );
        assert_eq!(date_literal("SOMEDAY", 0, today), None);
    }
}
