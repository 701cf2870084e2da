//! A recursive-descent SOQL parser over the lexer's tokens. Keywords are matched without
//! regard to case and only where the grammar expects them, so objects and fields named
//! like keywords (`Order`, `Group`) still work. The first syntax error stops the parse.

use super::ast::*;
use super::lexer::{Tok, Token};
use super::{did_you_mean, Bind, SoqlError};
use crate::describe::types::BindKind;
use crate::naming::edit_distance;

type PResult<T> = Result<T, SoqlError>;

/// Where a SELECT appears; decides what its FROM may be and what may end it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The statement.
    Top,
    /// A subquery in a SELECT list (FROM names a child relationship).
    Child,
    /// A semi-join or anti-join after IN / NOT IN.
    SemiJoin,
}

/// Words that end a FROM clause (so they are not taken as an alias).
const CLAUSE_WORDS: &[&str] = &[
    "WHERE", "WITH", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "FOR", "UPDATE", "ALL", "USING",
];

pub(super) fn parse(
    text: &str,
    tokens: &[Token],
    binds: &mut [Bind],
) -> Result<Select, Vec<SoqlError>> {
    let mut parser = Parser {
        text,
        tokens,
        pos: 0,
        binds,
        soft: Vec::new(),
    };
    let result = parser.statement();
    let mut errors = parser.soft;
    match result {
        Ok(select) if errors.is_empty() => Ok(select),
        Ok(_) => Err(errors),
        Err(error) => {
            errors.push(error);
            errors.sort_by_key(|e| e.span.start);
            Err(errors)
        }
    }
}

struct Parser<'a, 'b> {
    text: &'a str,
    tokens: &'a [Token],
    pos: usize,
    binds: &'b mut [Bind],
    /// Errors that do not stop the parse (argument counts).
    soft: Vec<SoqlError>,
}

impl Parser<'_, '_> {
    // ---- token helpers ----

    fn peek(&self) -> &Token {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> &Token {
        let last = self.tokens.len() - 1;
        &self.tokens[(self.pos + ahead).min(last)]
    }

    fn bump(&mut self) -> Token {
        let token = self.peek().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        token
    }

    /// The end of the last consumed token.
    fn prev_end(&self) -> usize {
        if self.pos == 0 {
            0
        } else {
            self.tokens[self.pos - 1].span.end
        }
    }

    fn token_text(&self, token: &Token) -> &str {
        &self.text[token.span.clone()]
    }

    fn is_kw_at(&self, ahead: usize, word: &str) -> bool {
        let token = self.peek_at(ahead);
        token.tok == Tok::Ident && self.token_text(token).eq_ignore_ascii_case(word)
    }

    fn is_kw(&self, word: &str) -> bool {
        self.is_kw_at(0, word)
    }

    fn eat_kw(&mut self, word: &str) -> bool {
        if self.is_kw(word) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn is(&self, tok: &Tok) -> bool {
        &self.peek().tok == tok
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.is(tok) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect_kw(&mut self, word: &str) -> PResult<Span> {
        if self.is_kw(word) {
            Ok(self.bump().span)
        } else {
            Err(self.expected(&format!("`{word}`")))
        }
    }

    fn expect(&mut self, tok: &Tok, what: &str) -> PResult<Span> {
        if self.is(tok) {
            Ok(self.bump().span)
        } else {
            Err(self.expected(what))
        }
    }

    fn describe(&self, token: &Token) -> String {
        let text = self.token_text(token);
        let short = |t: &str| {
            if t.chars().count() > 40 {
                let cut: String = t.chars().take(37).collect();
                format!("{cut}...")
            } else {
                t.to_owned()
            }
        };
        match &token.tok {
            Tok::Ident => format!("`{text}`"),
            Tok::Number => format!("number `{text}`"),
            Tok::Str(_) => format!("string `{}`", short(text)),
            Tok::Date => format!("date `{text}`"),
            Tok::DateTime => format!("datetime `{text}`"),
            Tok::Time => format!("time `{text}`"),
            Tok::Bind(_) => format!("bind `{}`", short(text)),
            Tok::Eof => "end of query".to_owned(),
            _ => format!("`{text}`"),
        }
    }

    /// "expected {what}, found {current token}" at the current token.
    fn expected(&self, what: &str) -> SoqlError {
        let token = self.peek();
        SoqlError::new(
            token.span.clone(),
            format!("expected {what}, found {}", self.describe(token)),
        )
    }

    fn ident(&mut self, what: &str) -> PResult<Ident> {
        if self.is(&Tok::Ident) {
            let token = self.bump();
            Ok(Ident {
                name: self.token_text(&token).to_owned(),
                span: token.span,
            })
        } else {
            Err(self.expected(what))
        }
    }

    // ---- statements ----

    fn statement(&mut self) -> PResult<Select> {
        let select = self.select(Place::Top)?;
        if !self.is(&Tok::Eof) {
            return Err(self.out_of_place("end of query"));
        }
        Ok(select)
    }

    /// The error for a token that cannot come next; a clause keyword gets the clause order.
    fn out_of_place(&self, what: &str) -> SoqlError {
        let token = self.peek();
        if token.tok == Tok::Ident {
            let word = self.token_text(token).to_ascii_uppercase();
            let clause = [
                "WHERE", "WITH", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "USING",
            ];
            if clause.contains(&word.as_str()) {
                return SoqlError::new(
                    token.span.clone(),
                    format!(
                        "expected {what}, found `{}`: clauses go in the order USING SCOPE, WHERE, \
                         WITH, GROUP BY, HAVING, ORDER BY, LIMIT, OFFSET, FOR …",
                        self.token_text(token)
                    ),
                );
            }
        }
        self.expected(what)
    }

    fn select(&mut self, place: Place) -> PResult<Select> {
        let start = self.expect_kw("SELECT")?.start;
        let fields = self.select_list(place)?;
        if !self.is_kw("FROM") {
            // `SELECT Id Name FORM Account`: the typo was read as an alias.
            if let Some(alias) = fields.last().and_then(|f| f.alias.as_ref()) {
                if edit_distance(&alias.name, "FROM") <= 1 {
                    return Err(SoqlError::new(
                        alias.span.clone(),
                        format!("expected `FROM`, found `{}`", alias.name),
                    ));
                }
            }
            return Err(self.expected("`,` or `FROM`"));
        }
        self.bump();
        let from = self.from(place)?;
        let using_scope = if self.is_kw("USING") {
            self.bump();
            self.expect_kw("SCOPE")?;
            Some(self.ident("a scope name (mine, everything, team, delegated, …)")?)
        } else {
            None
        };
        let where_clause = if self.eat_kw("WHERE") {
            Some(self.condition(place)?)
        } else {
            None
        };
        let with = if self.is_kw("WITH") {
            Some(self.with()?)
        } else {
            None
        };
        let group_by = if self.is_kw("GROUP") {
            Some(self.group_by()?)
        } else {
            None
        };
        let having = if self.eat_kw("HAVING") {
            Some(self.condition(place)?)
        } else {
            None
        };
        let mut order_by = Vec::new();
        if self.is_kw("ORDER") {
            self.bump();
            self.expect_kw("BY")?;
            loop {
                order_by.push(self.order_item()?);
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
        }
        let limit = if self.eat_kw("LIMIT") {
            Some(self.count("LIMIT")?)
        } else {
            None
        };
        let offset = if self.eat_kw("OFFSET") {
            Some(self.count("OFFSET")?)
        } else {
            None
        };
        let options = self.options()?;
        Ok(Select {
            fields,
            from,
            using_scope,
            where_clause,
            with,
            group_by,
            having,
            order_by,
            limit,
            offset,
            options,
            span: start..self.prev_end(),
        })
    }

    fn options(&mut self) -> PResult<Vec<(QueryOption, Span)>> {
        let mut options = Vec::new();
        loop {
            let start = self.peek().span.start;
            let option = if self.eat_kw("FOR") {
                if self.eat_kw("VIEW") {
                    QueryOption::ForView
                } else if self.eat_kw("REFERENCE") {
                    QueryOption::ForReference
                } else if self.eat_kw("UPDATE") {
                    QueryOption::ForUpdate
                } else {
                    return Err(self.expected("`VIEW`, `REFERENCE` or `UPDATE` after `FOR`"));
                }
            } else if self.eat_kw("UPDATE") {
                if self.eat_kw("TRACKING") {
                    QueryOption::UpdateTracking
                } else if self.eat_kw("VIEWSTAT") {
                    QueryOption::UpdateViewstat
                } else {
                    return Err(self.expected("`TRACKING` or `VIEWSTAT` after `UPDATE`"));
                }
            } else if self.eat_kw("ALL") {
                self.expect_kw("ROWS")?;
                QueryOption::AllRows
            } else {
                return Ok(options);
            };
            options.push((option, start..self.prev_end()));
        }
    }

    // ---- SELECT list ----

    fn select_list(&mut self, place: Place) -> PResult<Vec<SelectItem>> {
        let mut items = Vec::new();
        loop {
            items.push(self.select_item(place)?);
            if !self.eat(&Tok::Comma) {
                return Ok(items);
            }
        }
    }

    fn select_item(&mut self, place: Place) -> PResult<SelectItem> {
        let start = self.peek().span.start;
        let expr = if self.is(&Tok::LParen) && self.is_kw_at(1, "SELECT") {
            let open = self.bump().span;
            if place == Place::SemiJoin {
                return Err(SoqlError::new(
                    open,
                    "a semi-join selects one field; it cannot contain a subquery",
                ));
            }
            let inner = self.select(Place::Child)?;
            self.expect(&Tok::RParen, "`)` to close the subquery")?;
            SelectExpr::Subquery(Box::new(inner))
        } else if self.is_kw("TYPEOF") && self.peek_at(1).tok == Tok::Ident {
            SelectExpr::TypeOf(self.type_of()?)
        } else if self.is(&Tok::Ident) && self.peek_at(1).tok == Tok::LParen {
            if self.is_kw("FIELDS") {
                self.fields_call()?
            } else {
                SelectExpr::Call(self.call()?)
            }
        } else if self.is(&Tok::Ident) && !self.is_kw("FROM") {
            SelectExpr::Field(self.path()?)
        } else {
            return Err(self.expected("a field, function, subquery or TYPEOF"));
        };
        let alias = if self.is(&Tok::Ident)
            && !self.is_kw("FROM")
            && !matches!(
                expr,
                SelectExpr::Subquery(_) | SelectExpr::TypeOf(_) | SelectExpr::Fields { .. }
            ) {
            Some(self.ident("an alias")?)
        } else {
            None
        };
        Ok(SelectItem {
            expr,
            alias,
            span: start..self.prev_end(),
        })
    }

    fn fields_call(&mut self) -> PResult<SelectExpr> {
        let start = self.bump().span.start;
        self.bump();
        let scope = if self.eat_kw("ALL") {
            FieldsScope::All
        } else if self.eat_kw("STANDARD") {
            FieldsScope::Standard
        } else if self.eat_kw("CUSTOM") {
            FieldsScope::Custom
        } else {
            return Err(self.expected("`ALL`, `STANDARD` or `CUSTOM` in FIELDS(…)"));
        };
        self.expect(&Tok::RParen, "`)`")?;
        Ok(SelectExpr::Fields {
            scope,
            span: start..self.prev_end(),
        })
    }

    fn type_of(&mut self) -> PResult<TypeOf> {
        let start = self.bump().span.start;
        let relationship = self.path()?;
        let mut branches = Vec::new();
        while self.is_kw("WHEN") {
            let branch_start = self.bump().span.start;
            let object = self.ident("an object name after `WHEN`")?;
            self.expect_kw("THEN")?;
            let fields = self.path_list()?;
            branches.push(WhenBranch {
                object,
                fields,
                span: branch_start..self.prev_end(),
            });
        }
        if branches.is_empty() {
            return Err(self.expected("`WHEN` after `TYPEOF` and the relationship"));
        }
        let else_fields = if self.eat_kw("ELSE") {
            Some(self.path_list()?)
        } else {
            None
        };
        if !self.eat_kw("END") {
            return Err(self.expected("`WHEN`, `ELSE` or `END`"));
        }
        Ok(TypeOf {
            relationship,
            branches,
            else_fields,
            span: start..self.prev_end(),
        })
    }

    fn path_list(&mut self) -> PResult<Vec<Path>> {
        let mut paths = vec![self.path()?];
        while self.eat(&Tok::Comma) {
            paths.push(self.path()?);
        }
        Ok(paths)
    }

    fn path(&mut self) -> PResult<Path> {
        let first = self.ident("a field name")?;
        let start = first.span.start;
        let mut segments = vec![first];
        while self.is(&Tok::Dot) {
            self.bump();
            segments.push(self.ident("a name after `.`")?);
        }
        Ok(Path {
            segments,
            span: start..self.prev_end(),
        })
    }

    /// `NAME(args)`; the name is the current token and `(` follows.
    fn call(&mut self) -> PResult<Call> {
        let name = self.ident("a function name")?;
        let Some(function) = Function::from_name(&name.name) else {
            return Err(SoqlError::new(
                name.span.clone(),
                format!(
                    "unknown function `{}`{}",
                    name.name,
                    did_you_mean(&name.name, Function::names())
                ),
            ));
        };
        self.expect(&Tok::LParen, "`(`")?;
        let mut args = Vec::new();
        if !self.is(&Tok::RParen) {
            loop {
                args.push(self.argument()?);
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
        }
        self.expect(&Tok::RParen, "`,` or `)`")?;
        let span = name.span.start..self.prev_end();
        let (min, max) = function.arity();
        if args.len() < min || args.len() > max {
            let wanted = if min == max {
                format!("{min} argument{}", if min == 1 { "" } else { "s" })
            } else {
                format!("{min} to {max} arguments")
            };
            self.soft.push(SoqlError::new(
                span.clone(),
                format!("`{}` takes {wanted}, found {}", function.name(), args.len()),
            ));
        }
        Ok(Call {
            name,
            function,
            args,
            span,
        })
    }

    fn argument(&mut self) -> PResult<Expr> {
        if self.is(&Tok::Ident) && self.peek_at(1).tok == Tok::LParen {
            Ok(Expr::Call(self.call()?))
        } else if self.is(&Tok::Ident) {
            Ok(Expr::Field(self.path()?))
        } else if matches!(
            self.peek().tok,
            Tok::Str(_) | Tok::Number | Tok::Minus | Tok::Plus
        ) {
            Ok(Expr::Value(self.value()?))
        } else {
            Err(self.expected("a field, function or value"))
        }
    }

    /// A field path or a call: the left side of a comparison, a GROUP BY or ORDER BY item.
    fn field_or_call(&mut self) -> PResult<Expr> {
        if self.is(&Tok::Ident) && self.peek_at(1).tok == Tok::LParen {
            Ok(Expr::Call(self.call()?))
        } else if self.is(&Tok::Ident) {
            Ok(Expr::Field(self.path()?))
        } else {
            Err(self.expected("a field or function"))
        }
    }

    // ---- FROM ----

    fn from(&mut self, place: Place) -> PResult<From> {
        let what = if place == Place::Child {
            "a child relationship name after `FROM`"
        } else {
            "an object name after `FROM`"
        };
        if !self.is(&Tok::Ident) {
            return Err(self.expected(what));
        }
        let path = self.path()?;
        if place != Place::Child && path.segments.len() > 1 {
            return Err(SoqlError::new(
                path.span.clone(),
                format!(
                    "expected an object name after `FROM`, found the path `{}`",
                    path.text()
                ),
            ));
        }
        let alias = self.object_alias(&path)?;
        let mut relationships = Vec::new();
        while self.eat(&Tok::Comma) {
            let example = "(as in `FROM Contact c, c.Account a`)";
            if !self.is(&Tok::Ident) {
                return Err(self.expected(&format!(
                    "a relationship path after `,` in FROM, starting with an alias {example}"
                )));
            }
            let path = self.path()?;
            if path.segments.len() < 2 {
                return Err(SoqlError::new(
                    path.span.clone(),
                    format!(
                        "expected a relationship path after `,` in FROM, starting with an alias {example}, found `{}`",
                        path.text()
                    ),
                ));
            }
            let alias = self.object_alias(&path)?;
            let span = path.span.start..self.prev_end();
            relationships.push(FromRelationship { path, alias, span });
        }
        let span = path.span.start..self.prev_end();
        Ok(From {
            path,
            alias,
            relationships,
            span,
        })
    }

    /// The alias after a FROM object or relationship path, if one is written. SOQL has no
    /// `AS` there: `FROM Contact AS c` is refused with the form it takes.
    fn object_alias(&mut self, path: &Path) -> PResult<Option<Ident>> {
        let is_alias = |p: &Self, ahead: usize| {
            p.peek_at(ahead).tok == Tok::Ident && !CLAUSE_WORDS.iter().any(|w| p.is_kw_at(ahead, w))
        };
        if !is_alias(self, 0) {
            return Ok(None);
        }
        if self.is_kw("AS") && is_alias(self, 1) {
            let alias = self.token_text(self.peek_at(1)).to_owned();
            return Err(SoqlError::new(
                self.peek().span.clone(),
                format!(
                    "SOQL writes an object alias without `AS`: `{}{} {alias}`",
                    if path.segments.len() == 1 {
                        "FROM "
                    } else {
                        ""
                    },
                    path.text()
                ),
            ));
        }
        Ok(Some(self.ident("an alias")?))
    }

    // ---- WITH, GROUP BY, ORDER BY, LIMIT ----

    fn with(&mut self) -> PResult<With> {
        let start = self.bump().span.start;
        let kind = if self.eat_kw("SECURITY_ENFORCED") {
            WithKind::SecurityEnforced
        } else if self.eat_kw("USER_MODE") {
            WithKind::UserMode
        } else if self.eat_kw("SYSTEM_MODE") {
            WithKind::SystemMode
        } else if self.eat_kw("DATA") {
            self.expect_kw("CATEGORY")?;
            let mut filters = vec![self.category_filter()?];
            while self.eat_kw("AND") {
                filters.push(self.category_filter()?);
            }
            WithKind::DataCategory(filters)
        } else {
            return Err(self.expected(
                "`SECURITY_ENFORCED`, `USER_MODE`, `SYSTEM_MODE` or `DATA CATEGORY` after `WITH`",
            ));
        };
        Ok(With {
            kind,
            span: start..self.prev_end(),
        })
    }

    fn category_filter(&mut self) -> PResult<CategoryFilter> {
        let group = self.ident("a data category group name")?;
        let selectors = ["AT", "ABOVE", "BELOW", "ABOVE_OR_BELOW"];
        if !selectors.iter().any(|s| self.is_kw(s)) {
            return Err(self.expected("`AT`, `ABOVE`, `BELOW` or `ABOVE_OR_BELOW`"));
        }
        let selector = self.ident("a selector")?;
        let mut categories = Vec::new();
        if self.eat(&Tok::LParen) {
            loop {
                categories.push(self.ident("a data category name")?);
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
            self.expect(&Tok::RParen, "`,` or `)`")?;
        } else {
            categories.push(self.ident("a data category name")?);
        }
        Ok(CategoryFilter {
            group,
            selector,
            categories,
        })
    }

    fn group_by(&mut self) -> PResult<GroupBy> {
        let start = self.bump().span.start;
        self.expect_kw("BY")?;
        let kind = if self.is_kw("ROLLUP") && self.peek_at(1).tok == Tok::LParen {
            GroupKind::Rollup
        } else if self.is_kw("CUBE") && self.peek_at(1).tok == Tok::LParen {
            GroupKind::Cube
        } else {
            GroupKind::Plain
        };
        let mut items = Vec::new();
        if kind != GroupKind::Plain {
            self.bump();
            self.bump();
        }
        loop {
            items.push(self.field_or_call()?);
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        if kind != GroupKind::Plain {
            self.expect(&Tok::RParen, "`,` or `)`")?;
        }
        Ok(GroupBy {
            kind,
            items,
            span: start..self.prev_end(),
        })
    }

    fn order_item(&mut self) -> PResult<OrderItem> {
        let expr = self.field_or_call()?;
        let start = expr.span().start;
        let descending = if self.eat_kw("ASC") {
            Some(false)
        } else if self.eat_kw("DESC") {
            Some(true)
        } else {
            None
        };
        let nulls_first = if self.eat_kw("NULLS") {
            if self.eat_kw("FIRST") {
                Some(true)
            } else if self.eat_kw("LAST") {
                Some(false)
            } else {
                return Err(self.expected("`FIRST` or `LAST` after `NULLS`"));
            }
        } else {
            None
        };
        Ok(OrderItem {
            expr,
            descending,
            nulls_first,
            span: start..self.prev_end(),
        })
    }

    /// The value of LIMIT / OFFSET (and the `n` of date literals): an integer or a bind.
    fn count(&mut self, clause: &str) -> PResult<Count> {
        let token = self.peek().clone();
        match token.tok {
            Tok::Number => {
                self.bump();
                let text = self.token_text(&token);
                let value = text.parse::<u64>().map_err(|_| {
                    SoqlError::new(
                        token.span.clone(),
                        format!("{clause} takes a whole number, found `{text}`"),
                    )
                })?;
                Ok(Count {
                    kind: CountKind::Number(value),
                    span: token.span,
                })
            }
            Tok::Bind(index) => {
                self.bump();
                if let Some(bind) = self.binds.get_mut(index) {
                    bind.kind = BindKind::Int;
                }
                Ok(Count {
                    kind: CountKind::Bind(index),
                    span: token.span,
                })
            }
            _ => Err(self.expected(&format!("a number or a {{bind}} after {clause}"))),
        }
    }

    // ---- conditions ----

    fn condition(&mut self, place: Place) -> PResult<Condition> {
        let first = self.and_condition(place)?;
        if !self.is_kw("OR") {
            return Ok(first);
        }
        let start = first.span().start;
        let mut items = vec![first];
        while self.eat_kw("OR") {
            items.push(self.and_condition(place)?);
        }
        Ok(Condition::Or(items, start..self.prev_end()))
    }

    fn and_condition(&mut self, place: Place) -> PResult<Condition> {
        let first = self.not_condition(place)?;
        if !self.is_kw("AND") {
            return Ok(first);
        }
        let start = first.span().start;
        let mut items = vec![first];
        while self.eat_kw("AND") {
            items.push(self.not_condition(place)?);
        }
        Ok(Condition::And(items, start..self.prev_end()))
    }

    fn not_condition(&mut self, place: Place) -> PResult<Condition> {
        if self.is_kw("NOT") {
            let start = self.bump().span.start;
            let inner = self.not_condition(place)?;
            return Ok(Condition::Not(Box::new(inner), start..self.prev_end()));
        }
        if self.is(&Tok::LParen) {
            let start = self.bump().span.start;
            let inner = self.condition(place)?;
            self.expect(&Tok::RParen, "`AND`, `OR` or `)`")?;
            return Ok(Condition::Group(Box::new(inner), start..self.prev_end()));
        }
        Ok(Condition::Compare(self.comparison(place)?))
    }

    fn comparison(&mut self, place: Place) -> PResult<Comparison> {
        if !self.is(&Tok::Ident) {
            return Err(self.expected("a field, function, `NOT` or `(`"));
        }
        let left = self.field_or_call()?;
        let start = left.span().start;
        let op_start = self.peek().span.start;
        let op = match self.peek().tok {
            Tok::Eq => Operator::Eq,
            Tok::Ne => Operator::Ne,
            Tok::Lt => Operator::Lt,
            Tok::Le => Operator::Le,
            Tok::Gt => Operator::Gt,
            Tok::Ge => Operator::Ge,
            Tok::Ident if self.is_kw("LIKE") => Operator::Like,
            Tok::Ident if self.is_kw("IN") => Operator::In,
            Tok::Ident if self.is_kw("INCLUDES") => Operator::Includes,
            Tok::Ident if self.is_kw("EXCLUDES") => Operator::Excludes,
            Tok::Ident if self.is_kw("NOT") && self.is_kw_at(1, "IN") => {
                self.bump();
                Operator::NotIn
            }
            _ => return Err(self.expected(
                "a comparison operator (=, !=, <, <=, >, >=, LIKE, IN, NOT IN, INCLUDES, EXCLUDES)",
            )),
        };
        self.bump();
        let op_span = op_start..self.prev_end();
        let right = if op.takes_list() {
            self.list_operand(op, place)?
        } else {
            Operand::Value(self.value()?)
        };
        Ok(Comparison {
            left,
            op,
            op_span,
            right,
            span: start..self.prev_end(),
        })
    }

    fn list_operand(&mut self, op: Operator, place: Place) -> PResult<Operand> {
        if let Tok::Bind(index) = self.peek().tok {
            let token = self.bump();
            if let Some(bind) = self.binds.get_mut(index) {
                bind.list = true;
            }
            return Ok(Operand::Value(Value {
                kind: ValueKind::Bind(index),
                span: token.span,
            }));
        }
        if !self.is(&Tok::LParen) {
            return Err(self.expected(&format!("`(` or a {{bind}} after `{}`", op.as_str())));
        }
        if self.is_kw_at(1, "SELECT") {
            let open = self.bump().span;
            if !matches!(op, Operator::In | Operator::NotIn) {
                return Err(SoqlError::new(
                    open,
                    format!("`{}` takes a list of values, not a subquery", op.as_str()),
                ));
            }
            if place == Place::SemiJoin {
                return Err(SoqlError::new(
                    open,
                    "semi-joins and anti-joins cannot be nested",
                ));
            }
            let inner = self.select(Place::SemiJoin)?;
            self.expect(&Tok::RParen, "`)` to close the subquery")?;
            return Ok(Operand::Subquery(Box::new(inner)));
        }
        let start = self.bump().span.start;
        let mut values = Vec::new();
        loop {
            values.push(self.value()?);
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        self.expect(&Tok::RParen, "`,` or `)`")?;
        Ok(Operand::List(values, start..self.prev_end()))
    }

    fn value(&mut self) -> PResult<Value> {
        let token = self.peek().clone();
        let kind = match &token.tok {
            Tok::Str(s) => ValueKind::String(s.clone()),
            Tok::Number => ValueKind::Number(self.token_text(&token).to_owned()),
            Tok::Minus | Tok::Plus => {
                let next = self.peek_at(1);
                if next.tok == Tok::Number && next.span.start == token.span.end {
                    let span = token.span.start..next.span.end;
                    self.bump();
                    self.bump();
                    let text = self.text[span.clone()].trim_start_matches('+').to_owned();
                    return Ok(Value {
                        kind: ValueKind::Number(text),
                        span,
                    });
                }
                return Err(self.expected("a value"));
            }
            Tok::Date => ValueKind::Date(self.token_text(&token).to_owned()),
            Tok::DateTime => ValueKind::DateTime(self.token_text(&token).to_owned()),
            Tok::Time => ValueKind::Time(self.token_text(&token).to_owned()),
            Tok::Bind(index) => ValueKind::Bind(*index),
            Tok::Colon if self.peek_at(1).tok == Tok::Ident => {
                let name = self.token_text(self.peek_at(1)).to_owned();
                return Err(SoqlError::new(
                    token.span.start..self.peek_at(1).span.end,
                    format!("Apex binds (`:{name}`) are not supported; write `{{{name}}}`"),
                ));
            }
            Tok::Ident => return self.word_value(),
            _ => {
                return Err(self
                    .expected("a value (a 'string', number, date, true, false, null or {bind})"))
            }
        };
        self.bump();
        Ok(Value {
            kind,
            span: token.span,
        })
    }

    /// A value written as a word: `true`, `false`, `null`, a date literal, a currency.
    fn word_value(&mut self) -> PResult<Value> {
        let token = self.peek().clone();
        let word = self.token_text(&token).to_owned();
        let upper = word.to_ascii_uppercase();
        let kind = match upper.as_str() {
            "TRUE" => ValueKind::Boolean(true),
            "FALSE" => ValueKind::Boolean(false),
            "NULL" => ValueKind::Null,
            _ if DATE_LITERALS.contains(&upper.as_str()) => ValueKind::DateLiteral {
                name: upper,
                n: None,
            },
            _ if DATE_LITERALS_N.contains(&upper.as_str()) => {
                self.bump();
                if !self.eat(&Tok::Colon) {
                    return Err(
                        self.expected(&format!("`:` and a number after `{upper}` ({upper}:n)"))
                    );
                }
                let n = self.count(&upper)?;
                return Ok(Value {
                    kind: ValueKind::DateLiteral {
                        name: upper,
                        n: Some(n.kind),
                    },
                    span: token.span.start..self.prev_end(),
                });
            }
            _ if is_currency(&word) => {
                // `USD100` or `USD100.50` (the fraction lexes as `.` and a number).
                let mut end = token.span.end;
                self.bump();
                if self.is(&Tok::Dot)
                    && self.peek().span.start == end
                    && self.peek_at(1).tok == Tok::Number
                    && self.peek_at(1).span.start == end + 1
                    && !self.token_text(self.peek_at(1)).contains('.')
                {
                    self.bump();
                    end = self.bump().span.end;
                }
                return Ok(Value {
                    kind: ValueKind::Currency {
                        code: word[..3].to_owned(),
                        amount: self.text[token.span.start + 3..end].to_owned(),
                    },
                    span: token.span.start..end,
                });
            }
            _ => {
                let candidates = DATE_LITERALS
                    .iter()
                    .chain(DATE_LITERALS_N)
                    .copied()
                    .chain(["true", "false", "null"]);
                return Err(SoqlError::new(
                    token.span.clone(),
                    format!(
                        "expected a value (a 'string', number, date, date literal, true, false, null or {{bind}}), found `{word}`{}",
                        did_you_mean(&word, candidates)
                    ),
                ));
            }
        };
        self.bump();
        Ok(Value {
            kind,
            span: token.span,
        })
    }
}

/// `USD100`: three letters then digits.
fn is_currency(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() > 3
        && bytes[..3].iter().all(|b| b.is_ascii_alphabetic())
        && bytes[3..].iter().all(|b| b.is_ascii_digit())
}
