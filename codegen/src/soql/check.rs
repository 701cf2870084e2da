//! Checks a parsed statement against the describe model: objects, field paths,
//! relationships, subqueries, literal values, and the kind of every bind.

use std::ops::Range;

use super::ast::*;
use super::{did_you_mean, segments, Bind, Query, Segment, SoqlError};
use crate::describe::types::{bind_kind, rust_type, BindKind, RustType};
use crate::describe::{FieldDescribe, FieldType, SObjectDescribe, Schema};

/// A statement checked against the describe dumps: what the `soql!` macro builds its row
/// type and its run-time string from.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedQuery {
    /// The FROM object's API name as the dump spells it (`Account`).
    pub object: String,
    /// The FROM alias, if any.
    pub alias: Option<String>,
    /// The SELECT list, resolved.
    pub selected: Vec<Selected>,
    /// The binds in text order, each with the kind of what it is compared with.
    pub binds: Vec<Bind>,
    /// An aggregate query (GROUP BY, or an aggregate function in the SELECT list): the rows
    /// are `AggregateResult`s keyed by [`Selected::column`].
    pub aggregate: bool,
    /// `SELECT COUNT() FROM …`: the result has a size and no records.
    pub count_only: bool,
    /// The parsed statement.
    pub query: Query,
}

impl CheckedQuery {
    /// The literal text between binds and the binds, in order (indexes into `binds`).
    pub fn segments(&self) -> Vec<Segment> {
        segments(&self.query.text, &self.binds)
    }
}

/// One resolved item of a SELECT list.
#[derive(Debug, Clone, PartialEq)]
pub struct Selected {
    /// The item as written, without its SELECT-list alias: `Owner.Name`, `COUNT(Id)`,
    /// `Contacts` (a subquery's relationship), `What` (TYPEOF), `FIELDS(ALL)`. A field
    /// path's leading FROM alias is dropped (`c.FirstName` is `FirstName`) or replaced by the
    /// relationship path it stands for (`a.Name` is `Account.Name` with
    /// `FROM Contact c, c.Account a`), as is a leading object name.
    pub path: String,
    /// The alias, if any.
    pub alias: Option<String>,
    /// The key of the value in a result record: the alias; else `exprN` for an aggregate
    /// or date function (numbered from 0 over the unaliased ones, as Salesforce does);
    /// else, in an aggregate query, a field's last segment (`AggregateResult` is flat); else
    /// the path as written (nested records: `Owner.Name` is `Name` inside `Owner`).
    pub column: String,
    /// Where the item is in the SOQL text.
    pub span: Range<usize>,
    /// The field, for a plain field path (`None` for functions, subqueries, TYPEOF, FIELDS).
    pub field: Option<FieldDescribe>,
    /// The object the field is on (`User` for `Owner.Name`), with `field`.
    pub field_object: Option<String>,
    /// A Rust type for the value: the field's [`rust_type`]; `i64` for COUNT and
    /// COUNT_DISTINCT, `i32` for GROUPING and the date-part functions, `Date` for DAY_ONLY,
    /// `String` for toLabel and FORMAT, the argument's type for MIN, MAX, convertCurrency
    /// and convertTimezone, `f64` for DISTANCE, `FieldValue` for SUM, AVG and GEOLOCATION,
    /// `SObject` for TYPEOF, and `FieldValue` for subqueries and FIELDS (see `kind`).
    pub rust_type: RustType,
    /// What kind of item.
    pub kind: SelectedKind,
}

/// The kinds of SELECT items.
#[derive(Debug, Clone, PartialEq)]
pub enum SelectedKind {
    /// A field path.
    Field,
    /// A function or aggregate call.
    Function {
        /// The outer function.
        function: Function,
        /// The field of its (first) argument, followed through nested calls, if any.
        argument: Option<FieldDescribe>,
        /// An aggregate (or contains one).
        aggregate: bool,
    },
    /// A parent-to-child subquery.
    Subquery(Box<Subquery>),
    /// `TYPEOF`.
    TypeOf {
        /// The relationship as the dump spells it (`What`).
        relationship: String,
        /// One per WHEN.
        branches: Vec<TypeOfBranch>,
        /// The ELSE fields, resolved on the targets that have dumps.
        else_selected: Vec<Selected>,
    },
    /// `FIELDS(ALL|STANDARD|CUSTOM)`.
    Fields {
        /// Which.
        scope: FieldsScope,
        /// The fields of the object it stands for.
        fields: Vec<FieldDescribe>,
    },
}

/// A checked parent-to-child subquery.
#[derive(Debug, Clone, PartialEq)]
pub struct Subquery {
    /// The child relationship as the dump spells it (`Contacts`).
    pub relationship: String,
    /// The child object (`Contact`).
    pub object: String,
    /// Its SELECT list.
    pub selected: Vec<Selected>,
}

/// One `WHEN Type THEN fields` of a TYPEOF.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeOfBranch {
    /// The object as the dump spells it.
    pub object: String,
    /// The fields selected for it.
    pub selected: Vec<Selected>,
}

pub(super) fn check(query: Query, schema: &Schema) -> Result<CheckedQuery, Vec<SoqlError>> {
    let mut checker = Checker {
        schema,
        text: &query.text,
        binds: query.binds.clone(),
        errors: Vec::new(),
    };
    let statement = &query.statement;
    let from = &statement.from;
    let name = from.path.last_name();
    let Some(object) = schema.get(name) else {
        return Err(vec![unknown_object(schema, name, from.path.span.clone())]);
    };
    let checked = checker.select(statement, object, Place::Top);
    let mut errors = checker.errors;
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.span.start);
        return Err(errors);
    }
    Ok(CheckedQuery {
        object: object.name.clone(),
        alias: from.alias.as_ref().map(|a| a.name.clone()),
        selected: checked.selected,
        binds: checker.binds,
        aggregate: checked.aggregate,
        count_only: statement.is_count_only(),
        query,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Top,
    Child,
    SemiJoin,
}

struct Checked {
    selected: Vec<Selected>,
    aggregate: bool,
}

/// What is known about a field path or call.
#[derive(Debug, Clone)]
struct Info {
    kind: BindKind,
    field: Option<FieldDescribe>,
    object: Option<String>,
    rust_type: RustType,
    aggregate: bool,
    date_function: bool,
    /// For field paths: the segments after alias stripping, lower case, joined by `.`.
    key: Option<String>,
    /// For field paths: the path the server answers under, as written with the alias
    /// dropped or replaced by the relationship it stands for (`Account.Name` for `a.Name`
    /// with `FROM Contact c, c.Account a`).
    resolved: Option<String>,
}

const FIELD_VALUE: RustType = RustType::Runtime("FieldValue");

/// `no sObject X in the describe dumps`, with the close names; with none, the error is
/// about X's missing dump.
fn unknown_object(schema: &Schema, name: &str, span: Range<usize>) -> SoqlError {
    let hint = did_you_mean(name, schema.objects().map(|o| o.name.as_str()));
    let message = format!("no sObject `{name}` in the describe dumps{hint}");
    if hint.is_empty() {
        SoqlError::missing_dumps(span, message, [name.to_owned()])
    } else {
        SoqlError::new(span, message)
    }
}

/// The objects a path walk is at.
#[derive(Clone)]
struct At<'s> {
    objects: Vec<&'s SObjectDescribe>,
    /// Reached through a polymorphic relationship.
    polymorphic: bool,
    /// Targets of the last relationship without dumps.
    missing: Vec<String>,
}

/// The names of the objects a walk is at, for messages: `Contact or Lead`.
fn names_of(objects: &[&SObjectDescribe]) -> String {
    let names: Vec<&str> = objects.iter().map(|o| o.name.as_str()).collect();
    list_or(&names)
}

fn list_or(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        _ if names.len() > 6 => format!("{}, … ({} objects)", names[..5].join(", "), names.len()),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// An alias declared in FROM and what it stands for.
struct Alias<'s> {
    /// As written.
    name: String,
    /// The relationship path from the FROM object, segments as written (`["Account"]` for
    /// `c.Account a`); empty for the object's own alias.
    prefix: Vec<String>,
    /// Where the path leads.
    at: At<'s>,
}

struct Scope<'s> {
    object: &'s SObjectDescribe,
    /// The FROM aliases in text order: the object's own first, if it has one.
    aliases: Vec<Alias<'s>>,
    /// SELECT-list aliases (lower case) and what they stand for (HAVING, ORDER BY).
    select_aliases: Vec<(String, Info)>,
}

struct Checker<'s, 't> {
    schema: &'s Schema,
    text: &'t str,
    binds: Vec<Bind>,
    errors: Vec<SoqlError>,
}

impl Scope<'_> {
    /// The FROM object's own alias (`a` in `FROM Account a`).
    fn object_alias(&self) -> Option<&str> {
        self.aliases
            .first()
            .filter(|a| a.prefix.is_empty())
            .map(|a| a.name.as_str())
    }
}

/// `` `c`, `a` ``: alias names for messages.
fn quoted_names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
    names.join(", ")
}

impl<'s> Checker<'s, '_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.errors.push(SoqlError::new(span, message));
    }

    /// An error about the missing dump of `object`.
    fn error_missing(&mut self, object: String, span: Range<usize>, message: impl Into<String>) {
        self.errors
            .push(SoqlError::missing_dumps(span, message, [object]));
    }

    fn select(&mut self, select: &Select, object: &'s SObjectDescribe, place: Place) -> Checked {
        let aliases = self.declared_aliases(&select.from, object);
        let mut scope = Scope {
            object,
            aliases,
            select_aliases: Vec::new(),
        };
        // SELECT list.
        let mut selected = Vec::new();
        let mut infos: Vec<Option<Info>> = Vec::new();
        for item in &select.fields {
            let (sel, info) = self.select_item(&scope, item, place);
            if let (Some(alias), Some(info)) = (&item.alias, &info) {
                scope
                    .select_aliases
                    .push((alias.name.to_ascii_lowercase(), info.clone()));
            }
            selected.extend(sel);
            infos.push(info);
        }
        let has_aggregate = infos.iter().flatten().any(|i| i.aggregate);
        let count_only = select.is_count_only();
        let aggregate = (has_aggregate && !count_only) || select.group_by.is_some();
        if select.fields.len() > 1 {
            for item in &select.fields {
                if let SelectExpr::Call(call) = &item.expr {
                    if call.function == Function::Count && call.args.is_empty() {
                        self.error(
                            item.span.clone(),
                            "COUNT() must be the only item in the SELECT list; use COUNT(Id) next to other fields",
                        );
                    }
                }
            }
        }
        // Columns.
        let mut expr_number = 0;
        for (sel, item) in selected.iter_mut().zip(&select.fields) {
            if sel.alias.is_some() {
                continue;
            }
            match (&item.expr, &sel.kind) {
                (SelectExpr::Call(_), SelectedKind::Function { aggregate: a, .. }) => {
                    let numbered = *a
                        || matches!(&item.expr, SelectExpr::Call(c) if contains_date_function(c));
                    if numbered {
                        sel.column = format!("expr{expr_number}");
                        expr_number += 1;
                    }
                }
                (SelectExpr::Field(path), SelectedKind::Field) if aggregate => {
                    sel.column = path.last_name().to_owned();
                }
                _ => {}
            }
        }
        // Aliases on plain fields need an aggregate query.
        if !aggregate {
            for item in &select.fields {
                if let (SelectExpr::Field(_), Some(alias)) = (&item.expr, &item.alias) {
                    self.error(
                        alias.span.clone(),
                        format!(
                            "only aggregate queries can alias a field; is a `,` missing before `{}`?",
                            alias.name
                        ),
                    );
                }
            }
        }
        // WHERE.
        if let Some(condition) = &select.where_clause {
            self.condition(&scope, condition, false);
        }
        // GROUP BY.
        let mut grouped: Vec<String> = Vec::new();
        if let Some(group_by) = &select.group_by {
            for item in &group_by.items {
                if let Some(info) = self.expr(&scope, item, false) {
                    if let Some(key) = info.key {
                        grouped.push(key);
                    }
                    if info.aggregate {
                        self.error(item.span(), "cannot GROUP BY an aggregate function");
                    }
                }
            }
        }
        if has_aggregate || select.group_by.is_some() {
            for (item, info) in select.fields.iter().zip(&infos) {
                if let (SelectExpr::Field(path), Some(Info { key: Some(key), .. })) =
                    (&item.expr, info)
                {
                    if !grouped.contains(key) {
                        self.error(
                            path.span.clone(),
                            format!(
                                "`{}` must be grouped (GROUP BY) or aggregated in an aggregate query",
                                path.text()
                            ),
                        );
                    }
                }
            }
        }
        // HAVING.
        if let Some(condition) = &select.having {
            self.condition(&scope, condition, true);
        }
        // ORDER BY.
        for item in &select.order_by {
            self.expr(&scope, &item.expr, true);
        }
        // FIELDS(ALL|CUSTOM) need a LIMIT (checked on the statement, not in subqueries).
        for item in select.fields.iter().filter(|_| place == Place::Top) {
            if let SelectExpr::Fields {
                scope: fields_scope,
                span,
            } = &item.expr
            {
                if *fields_scope == FieldsScope::Standard {
                    continue;
                }
                let bounded = match &select.limit {
                    Some(Count {
                        kind: CountKind::Number(n),
                        ..
                    }) => *n <= 200,
                    Some(Count {
                        kind: CountKind::Bind(_),
                        ..
                    }) => true,
                    None => false,
                };
                if !bounded {
                    self.error(
                        span.clone(),
                        format!(
                            "{} needs LIMIT 200 or less (the server refuses it unbounded)",
                            &self.text[span.clone()]
                        ),
                    );
                }
            }
        }
        Checked {
            selected,
            aggregate,
        }
    }

    /// The aliases of a FROM clause: the object's own, then one per relationship path
    /// (`c.Account a`), each path checked from the alias or object name it starts with.
    fn declared_aliases(&mut self, from: &From, object: &'s SObjectDescribe) -> Vec<Alias<'s>> {
        let object_at = At {
            objects: vec![object],
            polymorphic: false,
            missing: Vec::new(),
        };
        let mut aliases: Vec<Alias<'s>> = Vec::new();
        if let Some(alias) = &from.alias {
            aliases.push(Alias {
                name: alias.name.clone(),
                prefix: Vec::new(),
                at: object_at.clone(),
            });
        }
        for relationship in &from.relationships {
            let Some((first, rest)) = relationship.path.segments.split_first() else {
                continue;
            };
            let base = match aliases.iter().find(|a| first.is(&a.name)) {
                Some(alias) => (alias.prefix.clone(), alias.at.clone()),
                None if first.is(&object.name) => (Vec::new(), object_at.clone()),
                None => {
                    let declared = if aliases.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " ({})",
                            quoted_names(aliases.iter().map(|a| a.name.as_str()))
                        )
                    };
                    let hint = if first.name.len() > 1 {
                        did_you_mean(&first.name, aliases.iter().map(|a| a.name.as_str()))
                    } else {
                        String::new()
                    };
                    self.error(
                        first.span.clone(),
                        format!(
                            "`{}` is not an alias declared before it in FROM{declared} nor the object {}{hint}",
                            first.name, object.name
                        ),
                    );
                    continue;
                }
            };
            let (mut prefix, at) = base;
            let Some(at) = self.follow(at, rest, first.span.start) else {
                continue;
            };
            let Some(alias) = &relationship.alias else {
                continue;
            };
            if aliases.iter().any(|a| alias.is(&a.name)) {
                self.error(
                    alias.span.clone(),
                    format!(
                        "the alias `{}` is already declared in this FROM",
                        alias.name
                    ),
                );
                continue;
            }
            prefix.extend(rest.iter().map(|s| s.name.clone()));
            aliases.push(Alias {
                name: alias.name.clone(),
                prefix,
                at,
            });
        }
        aliases
    }

    fn select_item(
        &mut self,
        scope: &Scope<'s>,
        item: &SelectItem,
        place: Place,
    ) -> (Option<Selected>, Option<Info>) {
        let alias = item.alias.as_ref().map(|a| a.name.clone());
        let source = self.text;
        let text = |span: &Range<usize>| source[span.clone()].to_owned();
        match &item.expr {
            SelectExpr::Field(path) => {
                let Some(info) = self.path(scope, path) else {
                    return (None, None);
                };
                let resolved = info.resolved.clone().unwrap_or_else(|| path.text());
                let selected = Selected {
                    path: resolved.clone(),
                    alias: alias.clone(),
                    column: alias.unwrap_or(resolved),
                    span: item.span.clone(),
                    field: info.field.clone(),
                    field_object: info.object.clone(),
                    rust_type: info.rust_type,
                    kind: SelectedKind::Field,
                };
                (Some(selected), Some(info))
            }
            SelectExpr::Call(call) => {
                let path = text(&call.span);
                let Some(info) = self.call(scope, call, false) else {
                    return (None, None);
                };
                let argument_info =
                    first_argument_field(call).and_then(|p| self.path_quiet(scope, p));
                let column = alias.clone().unwrap_or_else(|| {
                    let resolved = argument_info.as_ref().and_then(|i| i.resolved.clone());
                    let written = first_argument_field(call).map(Path::text);
                    resolved.or(written).unwrap_or_else(|| path.clone())
                });
                let argument = argument_info.and_then(|i| i.field);
                let selected = Selected {
                    path,
                    alias,
                    column,
                    span: item.span.clone(),
                    field: None,
                    field_object: None,
                    rust_type: info.rust_type,
                    kind: SelectedKind::Function {
                        function: call.function,
                        argument,
                        aggregate: info.aggregate,
                    },
                };
                (Some(selected), Some(info))
            }
            SelectExpr::Fields {
                scope: fields_scope,
                span,
            } => {
                let fields = scope
                    .object
                    .fields
                    .iter()
                    .filter(|f| match fields_scope {
                        FieldsScope::All => true,
                        FieldsScope::Standard => !f.custom,
                        FieldsScope::Custom => f.custom,
                    })
                    .cloned()
                    .collect();
                let path = text(span);
                let selected = Selected {
                    column: path.clone(),
                    path,
                    alias: None,
                    span: item.span.clone(),
                    field: None,
                    field_object: Some(scope.object.name.clone()),
                    rust_type: FIELD_VALUE,
                    kind: SelectedKind::Fields {
                        scope: *fields_scope,
                        fields,
                    },
                };
                (Some(selected), None)
            }
            SelectExpr::Subquery(sub) => {
                if place == Place::SemiJoin {
                    return (None, None);
                }
                (self.subquery(scope, sub, &item.span), None)
            }
            SelectExpr::TypeOf(type_of) => (self.type_of(scope, type_of, &item.span), None),
        }
    }

    fn subquery(
        &mut self,
        scope: &Scope<'s>,
        sub: &Select,
        span: &Range<usize>,
    ) -> Option<Selected> {
        let outer = scope.object;
        let path = &sub.from.path;
        let mut segments: &[Ident] = &path.segments;
        if segments.len() == 2 {
            let first = &segments[0];
            let qualifies =
                first.is(&outer.name) || scope.object_alias().is_some_and(|a| first.is(a));
            if qualifies {
                segments = &segments[1..];
            }
        }
        if segments.len() != 1 {
            self.error(
                path.span.clone(),
                format!(
                    "expected a child relationship of {} after FROM (such as `{}`), found `{}`",
                    outer.name,
                    example_child(outer),
                    path.text()
                ),
            );
            return None;
        }
        let name = &segments[0];
        let Some(relationship) = outer.child_relationship(&name.name) else {
            let candidates = outer
                .child_relationships
                .iter()
                .filter_map(|c| c.relationship_name.as_deref());
            let hint = did_you_mean(&name.name, candidates);
            let object_hint = if hint.is_empty() && self.schema.get(&name.name).is_some() {
                format!(
                    "; a subquery names a relationship, not an object (such as `{}`)",
                    example_child(outer)
                )
            } else {
                String::new()
            };
            self.error(
                name.span.clone(),
                format!(
                    "no child relationship `{}` on {}{hint}{object_hint}",
                    name.name, outer.name
                ),
            );
            return None;
        };
        let relationship_name = relationship
            .relationship_name
            .clone()
            .unwrap_or_else(|| name.name.clone());
        let Some(child) = self.schema.get(&relationship.child_sobject) else {
            self.error_missing(
                relationship.child_sobject.clone(),
                name.span.clone(),
                format!(
                    "`{relationship_name}` on {} is a relationship to {child}, which has no describe dump; add {child} to the dumps",
                    outer.name,
                    child = relationship.child_sobject
                ),
            );
            return None;
        };
        let checked = self.select(sub, child, Place::Child);
        Some(Selected {
            path: name.name.clone(),
            alias: None,
            column: relationship_name.clone(),
            span: span.clone(),
            field: None,
            field_object: None,
            rust_type: FIELD_VALUE,
            kind: SelectedKind::Subquery(Box::new(Subquery {
                relationship: relationship_name,
                object: child.name.clone(),
                selected: checked.selected,
            })),
        })
    }

    fn type_of(
        &mut self,
        scope: &Scope<'s>,
        type_of: &TypeOf,
        span: &Range<usize>,
    ) -> Option<Selected> {
        let object = scope.object;
        let mut segments: &[Ident] = &type_of.relationship.segments;
        if segments.len() == 2 && scope.object_alias().is_some_and(|a| segments[0].is(a)) {
            segments = &segments[1..];
        }
        let [name] = segments else {
            self.error(
                type_of.relationship.span.clone(),
                "TYPEOF takes one polymorphic relationship of the FROM object (such as `What` or `Owner`)",
            );
            return None;
        };
        let Some(reference) = object.parent_relationship(&name.name) else {
            self.unknown_relationship(&[object], name);
            return None;
        };
        let relationship = reference
            .relationship_name
            .clone()
            .unwrap_or_else(|| name.name.clone());
        let mut branches = Vec::new();
        for branch in &type_of.branches {
            let Some(target) = reference.reference_to.iter().find(|t| branch.object.is(t)) else {
                self.error(
                    branch.object.span.clone(),
                    format!(
                        "`{}` is not a type `{relationship}` on {} can point to{}",
                        branch.object.name,
                        object.name,
                        did_you_mean(
                            &branch.object.name,
                            reference.reference_to.iter().map(String::as_str)
                        )
                    ),
                );
                continue;
            };
            let Some(target_object) = self.schema.get(target) else {
                self.error_missing(
                    target.clone(),
                    branch.object.span.clone(),
                    format!("there is no describe dump for {target}; add {target} to the dumps"),
                );
                continue;
            };
            let mut selected = Vec::new();
            for path in &branch.fields {
                let at = At {
                    objects: vec![target_object],
                    polymorphic: false,
                    missing: Vec::new(),
                };
                if let Some(info) = self.walk(at, &path.segments, &path.segments) {
                    selected.push(field_selected(path, info));
                }
            }
            branches.push(TypeOfBranch {
                object: target_object.name.clone(),
                selected,
            });
        }
        let mut else_selected = Vec::new();
        if let Some(paths) = &type_of.else_fields {
            let (present, missing) = self.targets(reference);
            if present.is_empty() {
                self.missing_dumps(
                    &relationship,
                    object,
                    &missing,
                    type_of.relationship.span.clone(),
                );
            } else {
                for path in paths {
                    let at = At {
                        objects: present.clone(),
                        polymorphic: present.len() + missing.len() > 1,
                        missing: missing.clone(),
                    };
                    if let Some(info) = self.walk(at, &path.segments, &path.segments) {
                        else_selected.push(field_selected(path, info));
                    }
                }
            }
        }
        Some(Selected {
            path: relationship.clone(),
            alias: None,
            column: relationship.clone(),
            span: span.clone(),
            field: None,
            field_object: None,
            rust_type: RustType::Runtime("SObject"),
            kind: SelectedKind::TypeOf {
                relationship,
                branches,
                else_selected,
            },
        })
    }

    // ---- paths ----

    /// Resolves a field path in `scope`, reporting errors.
    fn path(&mut self, scope: &Scope<'s>, path: &Path) -> Option<Info> {
        let (at, prefix, segments) = self.start(scope, &path.segments)?;
        let mut info = self.walk(at, segments, &path.segments)?;
        let names: Vec<&str> = prefix
            .iter()
            .map(String::as_str)
            .chain(segments.iter().map(|s| s.name.as_str()))
            .collect();
        info.key = Some(names.join(".").to_ascii_lowercase());
        info.resolved = Some(names.join("."));
        Some(info)
    }

    /// Where a path starts: at the alias its first segment names (`a.Name`), past the
    /// object's own name (`Account.Name` on Account, unless Account has a relationship of
    /// that name), or at the object. Returns the objects, the relationship path the alias
    /// stands for, and the segments left to walk. A first segment that is none of these nor
    /// a field or relationship of the object, in a query with aliases, is an error here.
    fn start<'p>(
        &mut self,
        scope: &Scope<'s>,
        segments: &'p [Ident],
    ) -> Option<(At<'s>, Vec<String>, &'p [Ident])> {
        let object_at = At {
            objects: vec![scope.object],
            polymorphic: false,
            missing: Vec::new(),
        };
        let [first, rest @ ..] = segments else {
            return Some((object_at, Vec::new(), segments));
        };
        if rest.is_empty() {
            return Some((object_at, Vec::new(), segments));
        }
        if let Some(alias) = scope.aliases.iter().find(|a| first.is(&a.name)) {
            return Some((alias.at.clone(), alias.prefix.clone(), rest));
        }
        let object = scope.object;
        if object.parent_relationship(&first.name).is_some() || object.field(&first.name).is_some()
        {
            return Some((object_at, Vec::new(), segments));
        }
        if first.is(&object.name) {
            return Some((object_at, Vec::new(), rest));
        }
        if scope.aliases.is_empty() {
            return Some((object_at, Vec::new(), segments));
        }
        let hint = if first.name.len() > 1 {
            let relationships = object
                .fields
                .iter()
                .filter_map(|f| f.relationship_name.as_deref());
            did_you_mean(
                &first.name,
                scope
                    .aliases
                    .iter()
                    .map(|a| a.name.as_str())
                    .chain(relationships),
            )
        } else {
            String::new()
        };
        self.error(
            first.span.clone(),
            format!(
                "`{}` is not an alias of this query ({}) nor a relationship on {}{hint}",
                first.name,
                quoted_names(scope.aliases.iter().map(|a| a.name.as_str())),
                object.name
            ),
        );
        None
    }

    /// Resolves a path without reporting (already reported elsewhere).
    fn path_quiet(&mut self, scope: &Scope<'s>, path: &Path) -> Option<Info> {
        let before = self.errors.len();
        let info = self.path(scope, path);
        self.errors.truncate(before);
        info
    }

    /// The targets of a reference field that have dumps, and the names of those that do not.
    fn targets(&self, reference: &FieldDescribe) -> (Vec<&'s SObjectDescribe>, Vec<String>) {
        let mut present: Vec<&'s SObjectDescribe> = Vec::new();
        let mut missing = Vec::new();
        for target in &reference.reference_to {
            match self.schema.get(target) {
                Some(o) if !present.iter().any(|p| p.name == o.name) => present.push(o),
                Some(_) => {}
                None => missing.push(target.clone()),
            }
        }
        (present, missing)
    }

    fn missing_dumps(
        &mut self,
        relationship: &str,
        object: &SObjectDescribe,
        missing: &[String],
        span: Range<usize>,
    ) {
        let names: Vec<&str> = missing.iter().map(String::as_str).collect();
        let message = if names.len() == 1 {
            format!(
                "`{relationship}` on {} points to {}, which has no describe dump; add {} to the dumps",
                object.name, names[0], names[0]
            )
        } else {
            format!(
                "`{relationship}` on {} points to {}, none of which has a describe dump; add them to the dumps",
                object.name,
                list_or(&names)
            )
        };
        let error = SoqlError::missing_dumps(span, message, missing.iter().cloned());
        self.errors.push(error);
    }

    /// Walks `segments` from `at`: all but the last are parent relationships, the last a
    /// field. `full` is the whole path as written (for spans and messages).
    fn walk(&mut self, at: At<'s>, segments: &[Ident], full: &[Ident]) -> Option<Info> {
        let (last, relationships) = segments.split_last()?;
        let path_start = full.first().map_or(last.span.start, |s| s.span.start);
        let at = self.follow(at, relationships, path_start)?;
        self.field_at(at, last, segments, full)
    }

    /// Follows parent relationships from `at`. `path_start` is where the path as written
    /// starts (a missing dump's error covers the path up to the relationship).
    fn follow(
        &mut self,
        mut at: At<'s>,
        relationships: &[Ident],
        path_start: usize,
    ) -> Option<At<'s>> {
        for segment in relationships {
            let mut references: Vec<(&'s SObjectDescribe, &'s FieldDescribe)> = Vec::new();
            for object in &at.objects {
                if let Some(r) = object.parent_relationship(&segment.name) {
                    references.push((object, r));
                }
            }
            if references.is_empty() {
                self.unknown_relationship(&at.objects, segment);
                return None;
            }
            let mut present: Vec<&'s SObjectDescribe> = Vec::new();
            let mut missing: Vec<String> = Vec::new();
            let mut all_targets = 0;
            for (_, reference) in &references {
                let (p, m) = self.targets(reference);
                all_targets += reference.reference_to.len();
                for o in p {
                    if !present.iter().any(|x| x.name == o.name) {
                        present.push(o);
                    }
                }
                for name in m {
                    if !missing.contains(&name) {
                        missing.push(name);
                    }
                }
            }
            if present.is_empty() {
                let (object, reference) = references[0];
                let relationship = reference
                    .relationship_name
                    .clone()
                    .unwrap_or_else(|| segment.name.clone());
                self.missing_dumps(
                    &relationship,
                    object,
                    &missing,
                    path_start..segment.span.end,
                );
                return None;
            }
            at = At {
                objects: present,
                polymorphic: at.polymorphic || all_targets > 1,
                missing,
            };
        }
        Some(at)
    }

    /// The field `last` on the objects `at` is at; `segments` are the ones walked, `full`
    /// the path as written.
    fn field_at(
        &mut self,
        at: At<'s>,
        last: &Ident,
        segments: &[Ident],
        full: &[Ident],
    ) -> Option<Info> {
        if at.polymorphic && last.is("Type") {
            let field = FieldDescribe {
                name: "Type".to_owned(),
                label: "Type".to_owned(),
                field_type: FieldType::String,
                soap_type: "xsd:string".to_owned(),
                ..FieldDescribe::default()
            };
            return Some(Info {
                kind: BindKind::Text,
                rust_type: rust_type(&field),
                field: Some(field),
                object: None,
                aggregate: false,
                date_function: false,
                key: Some(key_of(segments)),
                resolved: Some(text_of(segments)),
            });
        }
        for object in &at.objects {
            if let Some(field) = object.field(&last.name) {
                return Some(Info {
                    kind: bind_kind(field),
                    rust_type: rust_type(field),
                    field: Some(field.clone()),
                    object: Some(object.name.clone()),
                    aggregate: false,
                    date_function: false,
                    key: Some(key_of(segments)),
                    resolved: Some(text_of(segments)),
                });
            }
        }
        // Not a field: say what it is instead.
        let written: Vec<&str> = full.iter().map(|s| s.name.as_str()).collect();
        let written = written.join(".");
        for object in &at.objects {
            if let Some(reference) = object.parent_relationship(&last.name) {
                let name = reference.relationship_name.as_deref().unwrap_or(&last.name);
                self.error(
                    last.span.clone(),
                    format!(
                        "`{name}` on {} is a relationship, not a field; select a field of it, such as `{written}.Id`, or the field `{}`",
                        object.name, reference.name
                    ),
                );
                return None;
            }
        }
        let candidates: Vec<&str> = at
            .objects
            .iter()
            .flat_map(|o| o.fields.iter().map(|f| f.name.as_str()))
            .collect();
        let mut message = format!(
            "no field `{}` on {}{}",
            last.name,
            names_of(&at.objects),
            did_you_mean(&last.name, candidates)
        );
        if !at.missing.is_empty() {
            let names: Vec<&str> = at.missing.iter().map(String::as_str).collect();
            message.push_str(&format!(
                "; not checked on {} (no describe dump)",
                list_or(&names)
            ));
        }
        self.error(last.span.clone(), message);
        None
    }

    fn unknown_relationship(&mut self, objects: &[&'s SObjectDescribe], segment: &Ident) {
        // `OwnerId.Name`: a reference field used as a relationship.
        for object in objects {
            if let Some(field) = object.field(&segment.name) {
                let message = match &field.relationship_name {
                    Some(r) => format!(
                        "`{}` on {} is a field, not a relationship; the relationship is `{r}`",
                        field.name, object.name
                    ),
                    None => format!(
                        "`{}` on {} is a field, not a relationship",
                        field.name, object.name
                    ),
                };
                self.error(segment.span.clone(), message);
                return;
            }
        }
        let candidates: Vec<&str> = objects
            .iter()
            .flat_map(|o| {
                o.fields
                    .iter()
                    .filter_map(|f| f.relationship_name.as_deref())
            })
            .collect();
        self.error(
            segment.span.clone(),
            format!(
                "no relationship `{}` on {}{}",
                segment.name,
                names_of(objects),
                did_you_mean(&segment.name, candidates)
            ),
        );
    }

    // ---- expressions ----

    /// A field path or call (WHERE / HAVING left side, GROUP BY, ORDER BY, arguments).
    /// `aliases`: a one-segment name may be a SELECT-list alias.
    fn expr(&mut self, scope: &Scope<'s>, expr: &Expr, aliases: bool) -> Option<Info> {
        match expr {
            Expr::Field(path) => {
                if aliases && path.segments.len() == 1 {
                    let name = path.segments[0].name.to_ascii_lowercase();
                    if let Some((_, info)) = scope.select_aliases.iter().find(|(a, _)| *a == name) {
                        return Some(info.clone());
                    }
                }
                self.path(scope, path)
            }
            Expr::Call(call) => self.call(scope, call, aliases),
            Expr::Value(_) => None,
        }
    }

    fn call(&mut self, scope: &Scope<'s>, call: &Call, aliases: bool) -> Option<Info> {
        let mut args: Vec<Option<Info>> = Vec::new();
        for arg in &call.args {
            args.push(self.expr(scope, arg, aliases));
        }
        let unresolved = args
            .iter()
            .zip(&call.args)
            .any(|(info, arg)| info.is_none() && !matches!(arg, Expr::Value(_)));
        if unresolved {
            return None;
        }
        let first = args.first().cloned().flatten();
        let inner_aggregate = args.iter().flatten().any(|a| a.aggregate);
        let inner_date = args.iter().flatten().any(|a| a.date_function);
        let function = call.function;
        let first_kind = first.as_ref().map_or(BindKind::Any, |i| i.kind);
        let first_type = first.as_ref().map_or(FIELD_VALUE, |i| i.rust_type);
        if function.is_date_function() {
            if let Some(field) = first.as_ref().and_then(|i| i.field.as_ref()) {
                if !matches!(field.field_type, FieldType::Date | FieldType::DateTime) {
                    self.error(
                        call.args[0].span(),
                        format!(
                            "`{}` takes a date or datetime field; `{}` is {}",
                            function.name(),
                            field.name,
                            field.field_type.as_str()
                        ),
                    );
                }
            }
        }
        let (kind, rust) = match function {
            Function::Count | Function::CountDistinct => (BindKind::Int, RustType::Plain("i64")),
            Function::Grouping => (BindKind::Int, RustType::Plain("i32")),
            Function::Sum | Function::Avg => (BindKind::Number, FIELD_VALUE),
            Function::Min | Function::Max | Function::ConvertTimezone => (first_kind, first_type),
            Function::ConvertCurrency => (BindKind::Number, first_type),
            Function::ToLabel | Function::Format => (BindKind::Text, RustType::Plain("String")),
            Function::Distance => (BindKind::Number, RustType::Plain("f64")),
            Function::Geolocation => (BindKind::Any, FIELD_VALUE),
            Function::DayOnly => (BindKind::Date, RustType::Runtime("Date")),
            _ => (BindKind::Int, RustType::Plain("i32")),
        };
        Some(Info {
            kind,
            field: None,
            object: None,
            rust_type: rust,
            aggregate: function.is_aggregate() || inner_aggregate,
            date_function: function.is_date_function() || inner_date,
            key: None,
            resolved: None,
        })
    }

    // ---- conditions ----

    fn condition(&mut self, scope: &Scope<'s>, condition: &Condition, having: bool) {
        match condition {
            Condition::And(items, _) | Condition::Or(items, _) => {
                for item in items {
                    self.condition(scope, item, having);
                }
            }
            Condition::Not(inner, _) | Condition::Group(inner, _) => {
                self.condition(scope, inner, having)
            }
            Condition::Compare(comparison) => self.comparison(scope, comparison, having),
        }
    }

    fn comparison(&mut self, scope: &Scope<'s>, comparison: &Comparison, having: bool) {
        let info = self.expr(scope, &comparison.left, having);
        let left_text = self.text[comparison.left.span()].to_owned();
        if let Some(info) = &info {
            if info.aggregate && !having {
                self.error(
                    comparison.left.span(),
                    "aggregate functions are not allowed in WHERE; filter on them in HAVING",
                );
            }
        }
        let op = comparison.op;
        if matches!(op, Operator::Includes | Operator::Excludes) {
            if let Some(field) = info.as_ref().and_then(|i| i.field.as_ref()) {
                if field.field_type != FieldType::MultiPicklist {
                    self.error(
                        comparison.op_span.clone(),
                        format!(
                            "{} works on multi-select picklists only; `{}` is {}",
                            op.as_str(),
                            field.name,
                            field.field_type.as_str()
                        ),
                    );
                }
            }
        }
        let kind = match op {
            Operator::Like => BindKind::Like,
            _ => info.as_ref().map_or(BindKind::Any, |i| i.kind),
        };
        let what = info
            .as_ref()
            .and_then(|i| i.field.as_ref())
            .map(|f| f.field_type.as_str().to_owned());
        match &comparison.right {
            Operand::Value(value) => {
                if let ValueKind::Bind(index) = value.kind {
                    if let Some(bind) = self.binds.get_mut(index) {
                        bind.kind = kind;
                    }
                } else if op == Operator::Like {
                    if !matches!(value.kind, ValueKind::String(_)) {
                        self.error(
                            value.span.clone(),
                            format!(
                                "LIKE takes a 'string' pattern, found {}",
                                value.kind.describe()
                            ),
                        );
                    }
                } else if info.is_some() {
                    self.literal(kind, value, &left_text, what.as_deref());
                }
            }
            Operand::List(values, _) => {
                for value in values {
                    if let ValueKind::Bind(index) = value.kind {
                        if let Some(bind) = self.binds.get_mut(index) {
                            bind.kind = kind;
                        }
                    } else if info.is_some() {
                        self.literal(kind, value, &left_text, what.as_deref());
                    }
                }
            }
            Operand::Subquery(sub) => self.semi_join(&comparison.left, info.as_ref(), sub),
        }
    }

    fn semi_join(&mut self, left: &Expr, left_info: Option<&Info>, sub: &Select) {
        if let Some(field) = left_info.and_then(|i| i.field.as_ref()) {
            if !is_id_like(field) {
                self.error(
                    left.span(),
                    format!(
                        "the field before IN (SELECT …) must be an Id or reference field; `{}` is {}",
                        field.name,
                        field.field_type.as_str()
                    ),
                );
            }
        }
        let name = sub.from.path.last_name();
        let Some(object) = self.schema.get(name) else {
            let error = unknown_object(self.schema, name, sub.from.path.span.clone());
            self.errors.push(error);
            return;
        };
        let checked = self.select(sub, object, Place::SemiJoin);
        let single = match (sub.fields.as_slice(), checked.selected.as_slice()) {
            ([item], [selected]) => Some((item, selected)),
            _ => None,
        };
        match single {
            Some((item, selected)) => {
                if let Some(field) = &selected.field {
                    if !is_id_like(field) {
                        self.error(
                            item.span.clone(),
                            format!(
                                "a semi-join selects one Id or reference field; `{}` is {}",
                                field.name,
                                field.field_type.as_str()
                            ),
                        );
                    }
                } else {
                    self.error(
                        item.span.clone(),
                        "a semi-join selects one Id or reference field",
                    );
                }
            }
            None if sub.fields.len() != 1 => {
                let span = sub.fields[0].span.start
                    ..sub
                        .fields
                        .last()
                        .map_or(sub.fields[0].span.end, |f| f.span.end);
                self.error(
                    span,
                    "a semi-join selects exactly one Id or reference field",
                );
            }
            None => {}
        }
    }

    fn literal(&mut self, kind: BindKind, value: &Value, left: &str, what: Option<&str>) {
        let v = &value.kind;
        if matches!(v, ValueKind::Null | ValueKind::Bind(_)) {
            return;
        }
        let fits = match kind {
            BindKind::Any => true,
            BindKind::Text | BindKind::Like | BindKind::Id => matches!(v, ValueKind::String(_)),
            BindKind::Boolean => matches!(v, ValueKind::Boolean(_)),
            BindKind::Int => matches!(v, ValueKind::Number(_)),
            BindKind::Number => matches!(v, ValueKind::Number(_) | ValueKind::Currency { .. }),
            BindKind::Date => matches!(v, ValueKind::Date(_) | ValueKind::DateLiteral { .. }),
            BindKind::DateTime => {
                matches!(v, ValueKind::DateTime(_) | ValueKind::DateLiteral { .. })
            }
            BindKind::Time => matches!(v, ValueKind::Time(_) | ValueKind::String(_)),
        };
        if fits {
            return;
        }
        let expected = match kind {
            BindKind::Text => "a 'string'",
            BindKind::Like => "a 'string' pattern",
            BindKind::Id => "an Id in quotes ('001…')",
            BindKind::Boolean => "true or false",
            BindKind::Int => "a whole number",
            BindKind::Number => "a number",
            BindKind::Date => "a date (YYYY-MM-DD) or a date literal such as TODAY",
            BindKind::DateTime => {
                "a datetime (YYYY-MM-DDThh:mm:ssZ) or a date literal such as TODAY"
            }
            BindKind::Time => "a time (hh:mm:ss.sssZ)",
            BindKind::Any => "a value",
        };
        let what = what.map(|w| format!(" ({w})")).unwrap_or_default();
        self.error(
            value.span.clone(),
            format!(
                "expected {expected} for `{left}`{what}, found {}",
                v.describe()
            ),
        );
    }
}

fn is_id_like(field: &FieldDescribe) -> bool {
    matches!(field.field_type, FieldType::Id | FieldType::Reference)
}

fn text_of(segments: &[Ident]) -> String {
    let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
    names.join(".")
}

fn key_of(segments: &[Ident]) -> String {
    let names: Vec<String> = segments
        .iter()
        .map(|s| s.name.to_ascii_lowercase())
        .collect();
    names.join(".")
}

/// The field path of a call's first argument, through nested calls (`FORMAT(MIN(Amount))`).
fn first_argument_field(call: &Call) -> Option<&Path> {
    match call.args.first()? {
        Expr::Field(path) => Some(path),
        Expr::Call(inner) => first_argument_field(inner),
        Expr::Value(_) => None,
    }
}

fn contains_date_function(call: &Call) -> bool {
    call.function.is_date_function()
        || call.args.iter().any(|a| match a {
            Expr::Call(inner) => contains_date_function(inner),
            _ => false,
        })
}

fn field_selected(path: &Path, info: Info) -> Selected {
    let resolved = info.resolved.unwrap_or_else(|| path.text());
    Selected {
        path: resolved.clone(),
        alias: None,
        column: resolved,
        span: path.span.clone(),
        field: info.field,
        field_object: info.object,
        rust_type: info.rust_type,
        kind: SelectedKind::Field,
    }
}

fn example_child(object: &SObjectDescribe) -> &str {
    object
        .child_relationships
        .iter()
        .find_map(|c| c.relationship_name.as_deref())
        .unwrap_or("Contacts")
}
