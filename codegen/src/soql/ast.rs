//! The SOQL syntax tree. Every node carries the byte range of the text it was read from.

use std::ops::Range;

/// A byte range in the SOQL text.
pub type Span = Range<usize>;

/// A name as written (`Account`, `Owner`, `ns__Total__c`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The text.
    pub name: String,
    /// Where.
    pub span: Span,
}

impl Ident {
    /// Whether this is `word`, ignoring ASCII case.
    pub fn is(&self, word: &str) -> bool {
        self.name.eq_ignore_ascii_case(word)
    }
}

/// A dotted path (`Account.Owner.Email`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    /// The segments, at least one.
    pub segments: Vec<Ident>,
    /// From the first segment to the last.
    pub span: Span,
}

impl Path {
    /// The path as written, segments joined by `.`.
    pub fn text(&self) -> String {
        let names: Vec<&str> = self.segments.iter().map(|s| s.name.as_str()).collect();
        names.join(".")
    }

    /// The last segment's name.
    pub fn last_name(&self) -> &str {
        self.segments.last().map_or("", |s| s.name.as_str())
    }
}

/// A SELECT statement: the whole query, a subquery in the SELECT list, or a semi-join.
#[derive(Debug, Clone, PartialEq)]
pub struct Select {
    /// The SELECT list.
    pub fields: Vec<SelectItem>,
    /// The FROM clause.
    pub from: From,
    /// `USING SCOPE name`.
    pub using_scope: Option<Ident>,
    /// `WHERE …`.
    pub where_clause: Option<Condition>,
    /// `WITH …`.
    pub with: Option<With>,
    /// `GROUP BY …`.
    pub group_by: Option<GroupBy>,
    /// `HAVING …`.
    pub having: Option<Condition>,
    /// `ORDER BY …` items.
    pub order_by: Vec<OrderItem>,
    /// `LIMIT n|{bind}`.
    pub limit: Option<Count>,
    /// `OFFSET n|{bind}`.
    pub offset: Option<Count>,
    /// `FOR VIEW`, `FOR REFERENCE`, `FOR UPDATE`, `UPDATE TRACKING`, `UPDATE VIEWSTAT`,
    /// `ALL ROWS`, in the order written.
    pub options: Vec<(QueryOption, Span)>,
    /// From `SELECT` to the end of the last clause.
    pub span: Span,
}

impl Select {
    /// `SELECT COUNT() FROM …`.
    pub fn is_count_only(&self) -> bool {
        self.fields.len() == 1
            && matches!(&self.fields[0].expr, SelectExpr::Call(call)
                if call.function == Function::Count && call.args.is_empty())
    }
}

/// One item of the SELECT list, with its alias.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectItem {
    /// What is selected.
    pub expr: SelectExpr,
    /// `COUNT(Id) total`: the alias.
    pub alias: Option<Ident>,
    /// The item, alias included.
    pub span: Span,
}

/// What a SELECT item selects.
#[derive(Debug, Clone, PartialEq)]
pub enum SelectExpr {
    /// A field path.
    Field(Path),
    /// A function or aggregate call.
    Call(Call),
    /// `FIELDS(ALL|STANDARD|CUSTOM)`.
    Fields {
        /// Which fields.
        scope: FieldsScope,
        /// The whole `FIELDS(…)`.
        span: Span,
    },
    /// `(SELECT … FROM Contacts …)`.
    Subquery(Box<Select>),
    /// `TYPEOF What WHEN Account THEN … ELSE … END`.
    TypeOf(TypeOf),
}

/// The argument of `FIELDS(…)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldsScope {
    /// `ALL`
    All,
    /// `STANDARD`
    Standard,
    /// `CUSTOM`
    Custom,
}

/// `TYPEOF relationship WHEN Type THEN fields … [ELSE fields] END`.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeOf {
    /// The polymorphic relationship (`What`, `Owner`).
    pub relationship: Path,
    /// The WHEN branches.
    pub branches: Vec<WhenBranch>,
    /// The ELSE fields, if any.
    pub else_fields: Option<Vec<Path>>,
    /// From `TYPEOF` to `END`.
    pub span: Span,
}

/// `WHEN Account THEN Phone, NumberOfEmployees`.
#[derive(Debug, Clone, PartialEq)]
pub struct WhenBranch {
    /// The object type.
    pub object: Ident,
    /// The fields selected for it.
    pub fields: Vec<Path>,
    /// The branch.
    pub span: Span,
}

/// A function call (`COUNT(Id)`, `toLabel(Status)`, `CALENDAR_YEAR(CreatedDate)`).
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The name as written.
    pub name: Ident,
    /// Which function.
    pub function: Function,
    /// The arguments.
    pub args: Vec<Expr>,
    /// From the name to `)`.
    pub span: Span,
}

/// A function argument, a condition's left side, a GROUP BY or ORDER BY item.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A field path.
    Field(Path),
    /// A call.
    Call(Call),
    /// A literal (`'mi'` in `DISTANCE`, numbers in `GEOLOCATION`).
    Value(Value),
}

impl Expr {
    /// Where.
    pub fn span(&self) -> Span {
        match self {
            Expr::Field(p) => p.span.clone(),
            Expr::Call(c) => c.span.clone(),
            Expr::Value(v) => v.span.clone(),
        }
    }
}

/// The SOQL functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    /// `COUNT`
    Count,
    /// `COUNT_DISTINCT`
    CountDistinct,
    /// `SUM`
    Sum,
    /// `AVG`
    Avg,
    /// `MIN`
    Min,
    /// `MAX`
    Max,
    /// `GROUPING`
    Grouping,
    /// `toLabel`
    ToLabel,
    /// `FORMAT`
    Format,
    /// `convertCurrency`
    ConvertCurrency,
    /// `convertTimezone`
    ConvertTimezone,
    /// `DISTANCE`
    Distance,
    /// `GEOLOCATION`
    Geolocation,
    /// `CALENDAR_MONTH`
    CalendarMonth,
    /// `CALENDAR_QUARTER`
    CalendarQuarter,
    /// `CALENDAR_YEAR`
    CalendarYear,
    /// `DAY_IN_MONTH`
    DayInMonth,
    /// `DAY_IN_WEEK`
    DayInWeek,
    /// `DAY_IN_YEAR`
    DayInYear,
    /// `DAY_ONLY`
    DayOnly,
    /// `FISCAL_MONTH`
    FiscalMonth,
    /// `FISCAL_QUARTER`
    FiscalQuarter,
    /// `FISCAL_YEAR`
    FiscalYear,
    /// `HOUR_IN_DAY`
    HourInDay,
    /// `WEEK_IN_MONTH`
    WeekInMonth,
    /// `WEEK_IN_YEAR`
    WeekInYear,
}

const FUNCTIONS: &[(&str, Function)] = &[
    ("COUNT", Function::Count),
    ("COUNT_DISTINCT", Function::CountDistinct),
    ("SUM", Function::Sum),
    ("AVG", Function::Avg),
    ("MIN", Function::Min),
    ("MAX", Function::Max),
    ("GROUPING", Function::Grouping),
    ("toLabel", Function::ToLabel),
    ("FORMAT", Function::Format),
    ("convertCurrency", Function::ConvertCurrency),
    ("convertTimezone", Function::ConvertTimezone),
    ("DISTANCE", Function::Distance),
    ("GEOLOCATION", Function::Geolocation),
    ("CALENDAR_MONTH", Function::CalendarMonth),
    ("CALENDAR_QUARTER", Function::CalendarQuarter),
    ("CALENDAR_YEAR", Function::CalendarYear),
    ("DAY_IN_MONTH", Function::DayInMonth),
    ("DAY_IN_WEEK", Function::DayInWeek),
    ("DAY_IN_YEAR", Function::DayInYear),
    ("DAY_ONLY", Function::DayOnly),
    ("FISCAL_MONTH", Function::FiscalMonth),
    ("FISCAL_QUARTER", Function::FiscalQuarter),
    ("FISCAL_YEAR", Function::FiscalYear),
    ("HOUR_IN_DAY", Function::HourInDay),
    ("WEEK_IN_MONTH", Function::WeekInMonth),
    ("WEEK_IN_YEAR", Function::WeekInYear),
];

impl Function {
    /// The function named `name` (any case).
    pub fn from_name(name: &str) -> Option<Function> {
        FUNCTIONS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, f)| *f)
    }

    /// All function names, as Salesforce documents them.
    pub fn names() -> impl Iterator<Item = &'static str> {
        FUNCTIONS.iter().map(|(n, _)| *n)
    }

    /// The documented name (`COUNT_DISTINCT`, `toLabel`).
    pub fn name(self) -> &'static str {
        FUNCTIONS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("", |(n, _)| *n)
    }

    /// An aggregate function (COUNT, COUNT_DISTINCT, SUM, AVG, MIN, MAX): refused in
    /// WHERE, makes the query an aggregate query.
    pub fn is_aggregate(self) -> bool {
        matches!(
            self,
            Function::Count
                | Function::CountDistinct
                | Function::Sum
                | Function::Avg
                | Function::Min
                | Function::Max
        )
    }

    /// A date function (`CALENDAR_YEAR`, `DAY_ONLY`, …): selecting one needs GROUP BY.
    pub fn is_date_function(self) -> bool {
        matches!(
            self,
            Function::CalendarMonth
                | Function::CalendarQuarter
                | Function::CalendarYear
                | Function::DayInMonth
                | Function::DayInWeek
                | Function::DayInYear
                | Function::DayOnly
                | Function::FiscalMonth
                | Function::FiscalQuarter
                | Function::FiscalYear
                | Function::HourInDay
                | Function::WeekInMonth
                | Function::WeekInYear
        )
    }

    /// How many arguments it takes (inclusive range).
    pub fn arity(self) -> (usize, usize) {
        match self {
            Function::Count => (0, 1),
            Function::Distance => (3, 3),
            Function::Geolocation => (2, 2),
            _ => (1, 1),
        }
    }
}

/// The FROM clause.
#[derive(Debug, Clone, PartialEq)]
pub struct From {
    /// The object (`Account`), or in a subquery the child relationship (`Contacts`,
    /// `Account.Contacts`).
    pub path: Path,
    /// `FROM Account a`: the alias.
    pub alias: Option<Ident>,
    /// `FROM Contact c, c.Account a`: the relationship paths after the object, each
    /// starting with an alias declared before it (or the object's name), in text order.
    pub relationships: Vec<FromRelationship>,
    /// The clause after `FROM`.
    pub span: Span,
}

/// `c.Account a` in `FROM Contact c, c.Account a`: a parent relationship path and the
/// alias that stands for it in the rest of the statement.
#[derive(Debug, Clone, PartialEq)]
pub struct FromRelationship {
    /// The path, its first segment an alias or the FROM object's name (`c.Account`).
    pub path: Path,
    /// The alias (`a`).
    pub alias: Option<Ident>,
    /// The path and the alias.
    pub span: Span,
}

/// The WITH clause.
#[derive(Debug, Clone, PartialEq)]
pub struct With {
    /// What kind.
    pub kind: WithKind,
    /// From `WITH` to the end of the clause.
    pub span: Span,
}

/// The forms of `WITH`.
#[derive(Debug, Clone, PartialEq)]
pub enum WithKind {
    /// `WITH SECURITY_ENFORCED`
    SecurityEnforced,
    /// `WITH USER_MODE`
    UserMode,
    /// `WITH SYSTEM_MODE`
    SystemMode,
    /// `WITH DATA CATEGORY group AT|ABOVE|BELOW|ABOVE_OR_BELOW category [AND …]`
    DataCategory(Vec<CategoryFilter>),
}

/// One data category filter.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryFilter {
    /// The category group (`Geography__c`).
    pub group: Ident,
    /// `AT`, `ABOVE`, `BELOW` or `ABOVE_OR_BELOW`.
    pub selector: Ident,
    /// One category, or several in parentheses.
    pub categories: Vec<Ident>,
}

/// `GROUP BY a, b`, `GROUP BY ROLLUP(a, b)`, `GROUP BY CUBE(a, b)`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupBy {
    /// Plain, ROLLUP or CUBE.
    pub kind: GroupKind,
    /// The grouped expressions.
    pub items: Vec<Expr>,
    /// From `GROUP` to the end of the clause.
    pub span: Span,
}

/// How GROUP BY groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// `GROUP BY a, b`
    Plain,
    /// `GROUP BY ROLLUP(a, b)`
    Rollup,
    /// `GROUP BY CUBE(a, b)`
    Cube,
}

/// One ORDER BY item.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderItem {
    /// What is sorted on.
    pub expr: Expr,
    /// `ASC` (`false`) or `DESC` (`true`), if written.
    pub descending: Option<bool>,
    /// `NULLS FIRST` (`true`) or `NULLS LAST` (`false`), if written.
    pub nulls_first: Option<bool>,
    /// The item.
    pub span: Span,
}

/// The value of LIMIT or OFFSET.
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    /// A number or a bind.
    pub kind: CountKind,
    /// The value.
    pub span: Span,
}

/// A number or a bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountKind {
    /// A literal number.
    Number(u64),
    /// `{bind}`: the index into the query's binds.
    Bind(usize),
}

/// The clauses at the end of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryOption {
    /// `FOR VIEW`
    ForView,
    /// `FOR REFERENCE`
    ForReference,
    /// `FOR UPDATE`
    ForUpdate,
    /// `UPDATE TRACKING`
    UpdateTracking,
    /// `UPDATE VIEWSTAT`
    UpdateViewstat,
    /// `ALL ROWS`
    AllRows,
}

/// A WHERE or HAVING condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `a AND b AND …`
    And(Vec<Condition>, Span),
    /// `a OR b OR …`
    Or(Vec<Condition>, Span),
    /// `NOT a`
    Not(Box<Condition>, Span),
    /// `( a )`
    Group(Box<Condition>, Span),
    /// `field op value`
    Compare(Comparison),
}

impl Condition {
    /// Where.
    pub fn span(&self) -> Span {
        match self {
            Condition::And(_, s)
            | Condition::Or(_, s)
            | Condition::Not(_, s)
            | Condition::Group(_, s) => s.clone(),
            Condition::Compare(c) => c.span.clone(),
        }
    }
}

/// `left op right`.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// A field path or a call.
    pub left: Expr,
    /// The operator.
    pub op: Operator,
    /// Where the operator is (`NOT IN` covers both words).
    pub op_span: Span,
    /// The value.
    pub right: Operand,
    /// The comparison.
    pub span: Span,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// `=`
    Eq,
    /// `!=` or `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `LIKE`
    Like,
    /// `IN`
    In,
    /// `NOT IN`
    NotIn,
    /// `INCLUDES`
    Includes,
    /// `EXCLUDES`
    Excludes,
}

impl Operator {
    /// Takes a list on the right (`IN`, `NOT IN`, `INCLUDES`, `EXCLUDES`).
    pub fn takes_list(self) -> bool {
        matches!(
            self,
            Operator::In | Operator::NotIn | Operator::Includes | Operator::Excludes
        )
    }

    /// As written in SOQL.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "=",
            Operator::Ne => "!=",
            Operator::Lt => "<",
            Operator::Le => "<=",
            Operator::Gt => ">",
            Operator::Ge => ">=",
            Operator::Like => "LIKE",
            Operator::In => "IN",
            Operator::NotIn => "NOT IN",
            Operator::Includes => "INCLUDES",
            Operator::Excludes => "EXCLUDES",
        }
    }
}

/// The right side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// One value (for `IN`, a bind here is a list bind).
    Value(Value),
    /// `('a', 'b', {x})`.
    List(Vec<Value>, Span),
    /// A semi-join or anti-join: `(SELECT AccountId FROM Contact)`.
    Subquery(Box<Select>),
}

impl Operand {
    /// Where.
    pub fn span(&self) -> Span {
        match self {
            Operand::Value(v) => v.span.clone(),
            Operand::List(_, s) => s.clone(),
            Operand::Subquery(q) => q.span.clone(),
        }
    }
}

/// A literal value or a bind.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// What kind.
    pub kind: ValueKind,
    /// Where.
    pub span: Span,
}

/// The literal values.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    /// `'text'`, escapes decoded (except `\_` and `\%`, which stay escaped for LIKE).
    String(String),
    /// `42`, `-1.5`, as written.
    Number(String),
    /// `true` / `false`.
    Boolean(bool),
    /// `null`.
    Null,
    /// `2024-01-02`.
    Date(String),
    /// `2024-01-02T10:00:00Z`, `2024-01-02T10:00:00.000+05:30`.
    DateTime(String),
    /// `10:30:00.000Z`.
    Time(String),
    /// `TODAY`, `LAST_N_DAYS:30`, `NEXT_N_WEEKS:{n}`.
    DateLiteral {
        /// The documented name, upper case.
        name: String,
        /// The `n`, for the `_N_` forms.
        n: Option<CountKind>,
    },
    /// `USD100`, `EUR5000.50`.
    Currency {
        /// The ISO code.
        code: String,
        /// The amount as written.
        amount: String,
    },
    /// `{expr}`: the index into the query's binds.
    Bind(usize),
}

impl ValueKind {
    /// A short description for messages ("a string", "a number").
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::String(_) => "a string",
            ValueKind::Number(_) => "a number",
            ValueKind::Boolean(_) => "a boolean",
            ValueKind::Null => "null",
            ValueKind::Date(_) => "a date",
            ValueKind::DateTime(_) => "a datetime",
            ValueKind::Time(_) => "a time",
            ValueKind::DateLiteral { .. } => "a date literal",
            ValueKind::Currency { .. } => "a currency amount",
            ValueKind::Bind(_) => "a bind",
        }
    }
}

/// Date literals without `n` (`TODAY`).
pub const DATE_LITERALS: &[&str] = &[
    "YESTERDAY",
    "TODAY",
    "TOMORROW",
    "LAST_WEEK",
    "THIS_WEEK",
    "NEXT_WEEK",
    "LAST_MONTH",
    "THIS_MONTH",
    "NEXT_MONTH",
    "LAST_90_DAYS",
    "NEXT_90_DAYS",
    "THIS_QUARTER",
    "LAST_QUARTER",
    "NEXT_QUARTER",
    "THIS_YEAR",
    "LAST_YEAR",
    "NEXT_YEAR",
    "THIS_FISCAL_QUARTER",
    "LAST_FISCAL_QUARTER",
    "NEXT_FISCAL_QUARTER",
    "THIS_FISCAL_YEAR",
    "LAST_FISCAL_YEAR",
    "NEXT_FISCAL_YEAR",
];

/// Date literals that take `:n` (`LAST_N_DAYS:30`).
pub const DATE_LITERALS_N: &[&str] = &[
    "LAST_N_DAYS",
    "NEXT_N_DAYS",
    "N_DAYS_AGO",
    "LAST_N_WEEKS",
    "NEXT_N_WEEKS",
    "N_WEEKS_AGO",
    "LAST_N_MONTHS",
    "NEXT_N_MONTHS",
    "N_MONTHS_AGO",
    "LAST_N_QUARTERS",
    "NEXT_N_QUARTERS",
    "N_QUARTERS_AGO",
    "LAST_N_YEARS",
    "NEXT_N_YEARS",
    "N_YEARS_AGO",
    "LAST_N_FISCAL_QUARTERS",
    "NEXT_N_FISCAL_QUARTERS",
    "N_FISCAL_QUARTERS_AGO",
    "LAST_N_FISCAL_YEARS",
    "NEXT_N_FISCAL_YEARS",
    "N_FISCAL_YEARS_AGO",
];
