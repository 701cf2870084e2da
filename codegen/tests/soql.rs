//! The SOQL parser and checker: a corpus of real-world statements, checks against the
//! REST describe fixtures, every error kind with its span and message, and bind kinds.

use std::path::Path;

use sforce_codegen::describe::types::{BindKind, RustType};
use sforce_codegen::describe::{
    read_file, ChildRelationship, FieldDescribe, FieldType, SObjectDescribe, Schema,
};
use sforce_codegen::soql::ast::{
    Condition, CountKind, FieldsScope, Function, GroupKind, Operand, Operator, QueryOption,
    SelectExpr, ValueKind, WithKind,
};
use sforce_codegen::soql::{check, parse, CheckedQuery, Segment, SelectedKind, SoqlError};

// ---- schema ----

fn fixture(name: &str) -> SObjectDescribe {
    let path = format!(
        "{}/../fixtures/describe/cumulusci-rest-{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut objects = read_file(Path::new(&path)).expect("fixture reads");
    assert_eq!(objects.len(), 1);
    objects.remove(0)
}

fn field(name: &str, kind: &str) -> FieldDescribe {
    FieldDescribe {
        name: name.into(),
        label: name.into(),
        field_type: FieldType::parse(kind),
        custom: name.ends_with("__c"),
        ..FieldDescribe::default()
    }
}

fn reference(name: &str, relationship: &str, to: &[&str]) -> FieldDescribe {
    FieldDescribe {
        reference_to: to.iter().map(|s| s.to_string()).collect(),
        relationship_name: Some(relationship.into()),
        ..field(name, "reference")
    }
}

fn object(name: &str, fields: Vec<FieldDescribe>) -> SObjectDescribe {
    SObjectDescribe {
        name: name.into(),
        label: name.into(),
        queryable: true,
        fields,
        ..SObjectDescribe::default()
    }
}

/// The fixture dumps (Account, Contact, Lead, Case, Event, OpportunityContactRole,
/// Custom__c) plus hand-written User, Group, Opportunity and Project__c.
fn schema() -> Schema {
    let mut schema = Schema::new();
    for name in [
        "Account",
        "Contact",
        "Lead",
        "Case",
        "Event",
        "OpportunityContactRole",
        "Custom__c",
    ] {
        schema.insert(fixture(name));
    }
    schema.insert(object(
        "User",
        vec![
            field("Id", "id"),
            field("Name", "string"),
            field("Email", "email"),
            field("Alias", "string"),
            field("IsActive", "boolean"),
            reference("ManagerId", "Manager", &["User"]),
        ],
    ));
    schema.insert(object(
        "Group",
        vec![
            field("Id", "id"),
            field("Name", "string"),
            field("Type", "picklist"),
            field("Email", "email"),
        ],
    ));
    schema.insert(object(
        "Opportunity",
        vec![
            field("Id", "id"),
            field("Name", "string"),
            field("Amount", "currency"),
            field("CloseDate", "date"),
            field("IsClosed", "boolean"),
            field("StageName", "picklist"),
            field("CreatedDate", "datetime"),
            field("Probability", "percent"),
            reference("AccountId", "Account", &["Account"]),
            reference("OwnerId", "Owner", &["User"]),
        ],
    ));
    let mut project = object(
        "Project__c",
        vec![
            field("Id", "id"),
            field("Name", "string"),
            field("Tags__c", "multipicklist"),
            field("Starts__c", "time"),
            field("Hours__c", "double"),
            reference("Account__c", "Account__r", &["Account"]),
            reference("Sponsor__c", "Sponsor__r", &["Portfolio__c"]),
        ],
    );
    project.custom = true;
    project.child_relationships = vec![ChildRelationship {
        relationship_name: Some("Tasks__r".into()),
        child_sobject: "ProjectTask__c".into(),
        field: "Project__c".into(),
        cascade_delete: true,
    }];
    schema.insert(project);
    schema
}

fn checked(text: &str) -> CheckedQuery {
    match check(text, &schema()) {
        Ok(q) => q,
        Err(errors) => panic!(
            "{text}\n{}",
            errors.iter().map(|e| e.render(text)).collect::<String>()
        ),
    }
}

fn errors(text: &str) -> Vec<SoqlError> {
    match check(text, &schema()) {
        Ok(_) => panic!("expected errors for {text}"),
        Err(errors) => errors,
    }
}

/// The single error of `text`, with the text its span covers.
fn one_error(text: &str) -> (String, String) {
    let errors = errors(text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    (text[e.span.clone()].to_owned(), e.message.clone())
}

// ---- corpus ----

const CORPUS: &[(&str, &str)] = &[
    ("SELECT Id, Name FROM Account", "Account"),
    ("SELECT Id, Name, BillingCity FROM Account WHERE Name LIKE 'Acme%' ORDER BY Name ASC LIMIT 10", "Account"),
    ("SELECT Name, Owner.Name FROM Account", "Account"),
    ("SELECT Id, Account.Owner.Email FROM Contact WHERE Account.Industry = 'Technology'", "Contact"),
    ("SELECT Name, (SELECT Id, LastName FROM Contacts) FROM Account", "Account"),
    ("SELECT Id, Subject, Who.Name, What.Name FROM Event WHERE ActivityDate = TODAY", "Event"),
    ("SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName LIKE 'apple%')", "Account"),
    ("SELECT Id, Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Opportunity WHERE IsClosed = false)", "Account"),
    ("SELECT LeadSource, COUNT(Name) cnt FROM Lead GROUP BY LeadSource", "Lead"),
    ("SELECT CampaignId, AVG(Amount) avgAmount FROM Opportunity GROUP BY CampaignId HAVING COUNT(Id) > 1", "Opportunity"),
    ("SELECT COUNT() FROM Contact", "Contact"),
    ("SELECT COUNT_DISTINCT(Company) FROM Lead", "Lead"),
    ("SELECT MIN(CreatedDate), MAX(CreatedDate) FROM Account", "Account"),
    ("SELECT SUM(Amount) total FROM Opportunity WHERE IsClosed = true", "Opportunity"),
    ("SELECT Name, toLabel(Recordtype.Name) FROM Case", "Case"),
    ("SELECT Id, FORMAT(Amount) amt FROM Opportunity", "Opportunity"),
    ("SELECT Id, convertCurrency(Amount) FROM Opportunity WHERE convertCurrency(Amount) > 100000", "Opportunity"),
    ("SELECT CALENDAR_YEAR(CreatedDate), SUM(Amount) FROM Opportunity GROUP BY CALENDAR_YEAR(CreatedDate)", "Opportunity"),
    ("SELECT FIELDS(ALL) FROM Account LIMIT 200", "Account"),
    ("SELECT FIELDS(STANDARD) FROM Contact", "Contact"),
    ("SELECT Id, FIELDS(CUSTOM) FROM Account LIMIT 100", "Account"),
    ("SELECT TYPEOF What WHEN Account THEN Phone, NumberOfEmployees WHEN Opportunity THEN Amount, CloseDate ELSE Name, Email END FROM Event", "Event"),
    ("SELECT Id FROM Account USING SCOPE mine", "Account"),
    ("SELECT Id, Name FROM Account WHERE (Industry = 'Media' OR Industry = 'Energy') AND NOT Name LIKE '%test%'", "Account"),
    ("SELECT Name FROM Account WHERE Industry IN ('Agriculture', 'Apparel') AND AnnualRevenue > USD100000", "Account"),
    ("SELECT Id FROM Contact WHERE Birthdate = 1990-05-17", "Contact"),
    ("SELECT Id FROM Account WHERE CreatedDate > 2024-01-02T10:00:00Z", "Account"),
    ("SELECT Id FROM Account WHERE CreatedDate < 2024-01-02T10:00:00.000+05:30", "Account"),
    ("SELECT Id FROM Opportunity WHERE CloseDate = LAST_N_DAYS:30", "Opportunity"),
    ("SELECT Id FROM Lead WHERE CreatedDate = THIS_FISCAL_QUARTER", "Lead"),
    ("SELECT Id, MSP1__c FROM CustObj__c WHERE MSP1__c INCLUDES ('AAA;BBB', 'CCC')", "CustObj__c"),
    ("SELECT Id FROM Account WHERE Region__c EXCLUDES ('West')", "Account"),
    ("SELECT Title FROM KnowledgeArticleVersion WHERE PublishStatus = 'online' WITH DATA CATEGORY Geography__c ABOVE usa__c", "KnowledgeArticleVersion"),
    ("SELECT Title FROM Question WHERE LastReplyDate > 2005-10-08T01:02:03Z WITH DATA CATEGORY Geography__c AT (usa__c, uk__c) AND Product__c BELOW mobile_phones__c", "Question"),
    ("SELECT Id FROM Account WITH SECURITY_ENFORCED", "Account"),
    ("SELECT Id, Name FROM Account WITH USER_MODE", "Account"),
    ("SELECT Name, COUNT(Id) FROM Account GROUP BY ROLLUP(Name)", "Account"),
    ("SELECT Type, BillingCountry, GROUPING(Type) grpType, COUNT(Id) FROM Account GROUP BY CUBE(Type, BillingCountry) ORDER BY GROUPING(Type)", "Account"),
    ("SELECT Name FROM Account ORDER BY Name DESC NULLS LAST, Id ASC NULLS FIRST LIMIT 5 OFFSET 10", "Account"),
    ("SELECT Id FROM Account LIMIT 1 FOR UPDATE", "Account"),
    ("SELECT Id FROM Knowledge__kav WHERE PublishStatus = 'Online' FOR VIEW", "Knowledge__kav"),
    ("SELECT Id FROM Contact FOR REFERENCE", "Contact"),
    ("SELECT Title FROM FAQ__kav WHERE Keyword='Apex' UPDATE TRACKING", "FAQ__kav"),
    ("SELECT Title FROM FAQ__kav UPDATE VIEWSTAT", "FAQ__kav"),
    ("SELECT Id FROM Account WHERE IsDeleted = true ALL ROWS", "Account"),
    ("SELECT a.Name, a.Owner.Name FROM Account a WHERE a.Industry != null", "Account"),
    ("SELECT Name, (SELECT Contact.LastName FROM Account.Contacts) FROM Account", "Account"),
    ("SELECT Id, Name, (SELECT Id, Subject FROM Cases WHERE Status = 'New' ORDER BY CreatedDate DESC LIMIT 5), (SELECT Name FROM Opportunities) FROM Account", "Account"),
    ("SELECT Name, Location__c FROM Warehouse__c WHERE DISTANCE(Location__c, GEOLOCATION(37.775, -122.418), 'mi') < 20 ORDER BY DISTANCE(Location__c, GEOLOCATION(37.775, -122.418), 'mi') LIMIT 10", "Warehouse__c"),
    ("SELECT HOUR_IN_DAY(convertTimezone(CreatedDate)), SUM(Amount) FROM Opportunity GROUP BY HOUR_IN_DAY(convertTimezone(CreatedDate))", "Opportunity"),
    (r"SELECT Id FROM Account WHERE Name = 'O\'Reilly' AND Description LIKE '50\% off'", "Account"),
    ("SELECT Id FROM Account WHERE Name = {name} AND NumberOfEmployees > {min} LIMIT {n}", "Account"),
    ("select id, name from account where name like 'a%' order by name limit 3", "account"),
    ("SELECT Id FROM Event WHERE StartDateTime >= NEXT_N_WEEKS:2 AND IsAllDayEvent = false", "Event"),
    ("SELECT Id FROM Task WHERE ActivityDate = N_DAYS_AGO:7", "Task"),
    ("SELECT Id FROM Group WHERE Type = 'Queue'", "Group"),
    ("SELECT Id, OrderNumber FROM Order ORDER BY OrderNumber", "Order"),
    ("SELECT FORMAT(MIN(CloseDate)) FROM Opportunity", "Opportunity"),
    ("SELECT Id FROM Case WHERE CreatedDate = LAST_N_DAYS:{days}", "Case"),
    ("SELECT DAY_ONLY(CreatedDate) day, COUNT(Id) FROM Lead GROUP BY DAY_ONLY(CreatedDate)", "Lead"),
    ("SELECT Id FROM Opportunity WHERE Amount >= -500.50", "Opportunity"),
    ("SELECT Id, Name FROM Account WHERE Id IN {ids}", "Account"),
    ("SELECT Name, (SELECT Name, (SELECT LastName FROM Contacts) FROM ChildAccounts) FROM Account", "Account"),
    ("SELECT Id FROM Account WHERE CALENDAR_YEAR(CreatedDate) = 2024", "Account"),
    ("SELECT Id FROM Opportunity WHERE Amount > EUR5000.50 AND StageName <> 'Closed Lost'", "Opportunity"),
    ("SELECT Id FROM Account WITH SYSTEM_MODE ORDER BY CreatedDate DESC", "Account"),
    ("SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '001000000000001AAA'", "ContentDocumentLink"),
    ("SELECT Id, Name FROM Account WHERE Name LIKE 'A\\_B%' AND (NOT (Industry = 'Banking' OR Industry = 'Retail'))", "Account"),
    // Alias notation: the AJAX Toolkit guide's relationship examples and the SOQL reference's.
    ("SELECT c.Id, c.FirstName, a.Name FROM Contact c, c.Account a", "Contact"),
    ("select a.Name, (select c.LastName from a.Contacts c) from Account a", "Account"),
    ("SELECT count() FROM Contact c, c.Account a WHERE a.name = 'MyriadPubs'", "Contact"),
    ("SELECT c.LastName, o.Email FROM Contact c, c.Account a, a.Owner o WHERE o.IsActive = true ORDER BY c.LastName", "Contact"),
];

#[test]
fn the_corpus_parses() {
    assert!(CORPUS.len() >= 40);
    for (text, object) in CORPUS {
        let query = match parse(text) {
            Ok(q) => q,
            Err(errors) => panic!(
                "{text}\n{}",
                errors.iter().map(|e| e.render(text)).collect::<String>()
            ),
        };
        assert_eq!(query.object(), *object, "{text}");
        // Segments put the text back together around the binds.
        let mut rebuilt = String::new();
        for segment in query.segments() {
            match segment {
                Segment::Text(t) => rebuilt.push_str(&t),
                Segment::Bind(i) => rebuilt.push_str(&text[query.binds[i].span.clone()]),
            }
        }
        assert_eq!(&rebuilt, text);
    }
}

#[test]
fn the_tree_has_the_clauses_and_spans() {
    let text = "SELECT Name n, COUNT(Id) c FROM Account a USING SCOPE team WHERE a.Industry IN ('x', {y}) \
                WITH SECURITY_ENFORCED GROUP BY ROLLUP(Name) HAVING COUNT(Id) > 1 \
                ORDER BY Name DESC NULLS LAST LIMIT 5 OFFSET {skip} FOR VIEW";
    let query = parse(text).unwrap();
    let s = &query.statement;
    assert_eq!(s.fields.len(), 2);
    assert_eq!(s.fields[0].alias.as_ref().unwrap().name, "n");
    match &s.fields[1].expr {
        SelectExpr::Call(call) => {
            assert_eq!(call.function, Function::Count);
            assert_eq!(&text[call.span.clone()], "COUNT(Id)");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(&text[s.fields[1].span.clone()], "COUNT(Id) c");
    assert_eq!(s.from.alias.as_ref().unwrap().name, "a");
    assert_eq!(s.using_scope.as_ref().unwrap().name, "team");
    match s.where_clause.as_ref().unwrap() {
        Condition::Compare(c) => {
            assert_eq!(c.op, Operator::In);
            assert_eq!(&text[c.op_span.clone()], "IN");
            match &c.right {
                Operand::List(values, span) => {
                    assert_eq!(&text[span.clone()], "('x', {y})");
                    assert_eq!(values[0].kind, ValueKind::String("x".into()));
                    assert_eq!(values[1].kind, ValueKind::Bind(0));
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.with.as_ref().unwrap().kind, WithKind::SecurityEnforced);
    assert_eq!(s.group_by.as_ref().unwrap().kind, GroupKind::Rollup);
    assert!(s.having.is_some());
    assert_eq!(s.order_by[0].descending, Some(true));
    assert_eq!(s.order_by[0].nulls_first, Some(false));
    assert_eq!(s.limit.as_ref().unwrap().kind, CountKind::Number(5));
    assert_eq!(s.offset.as_ref().unwrap().kind, CountKind::Bind(1));
    assert_eq!(s.options[0].0, QueryOption::ForView);
    assert_eq!(s.span, 0..text.len());
    // Without a schema: binds are Any, except the integer places; IN lists are not list binds
    // when the bind is one element.
    assert_eq!(query.binds[0].kind, BindKind::Any);
    assert!(!query.binds[0].list);
    assert_eq!(query.binds[1].kind, BindKind::Int);
    assert_eq!(query.binds[1].expr, "skip");
}

#[test]
fn values_are_read() {
    let text = "SELECT Id FROM X WHERE A = 'it\\'s' AND B = -1.5 AND C = 2024-01-02 AND D = 2024-01-02T10:00:00Z \
                AND E = LAST_N_DAYS:30 AND F = USD100.25 AND G = null AND H = TRUE AND I = 10:30:00.000Z";
    let query = parse(text).unwrap();
    let Some(Condition::And(items, _)) = &query.statement.where_clause else {
        panic!()
    };
    let values: Vec<ValueKind> = items
        .iter()
        .map(|c| match c {
            Condition::Compare(c) => match &c.right {
                Operand::Value(v) => v.kind.clone(),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        values,
        vec![
            ValueKind::String("it's".into()),
            ValueKind::Number("-1.5".into()),
            ValueKind::Date("2024-01-02".into()),
            ValueKind::DateTime("2024-01-02T10:00:00Z".into()),
            ValueKind::DateLiteral {
                name: "LAST_N_DAYS".into(),
                n: Some(CountKind::Number(30))
            },
            ValueKind::Currency {
                code: "USD".into(),
                amount: "100.25".into()
            },
            ValueKind::Null,
            ValueKind::Boolean(true),
            ValueKind::Time("10:30:00.000Z".into()),
        ]
    );
}

#[test]
fn from_takes_relationship_aliases() {
    let text = "SELECT c.Id, a.Name FROM Contact c, c.Account a, a.Owner o WHERE o.IsActive = true";
    let query = parse(text).unwrap();
    let from = &query.statement.from;
    assert_eq!(from.path.text(), "Contact");
    assert_eq!(from.alias.as_ref().unwrap().name, "c");
    let relationships: Vec<(String, &str)> = from
        .relationships
        .iter()
        .map(|r| (r.path.text(), r.alias.as_ref().unwrap().name.as_str()))
        .collect();
    assert_eq!(
        relationships,
        [("c.Account".to_owned(), "a"), ("a.Owner".to_owned(), "o")]
    );
    assert_eq!(&text[from.relationships[0].span.clone()], "c.Account a");
    assert_eq!(
        &text[from.span.clone()],
        "Contact c, c.Account a, a.Owner o"
    );
    // A subquery's child relationship takes an alias too.
    let query =
        parse("select a.Name, (select c.LastName from a.Contacts c) from Account a").unwrap();
    let SelectExpr::Subquery(sub) = &query.statement.fields[1].expr else {
        panic!()
    };
    assert_eq!(sub.from.path.text(), "a.Contacts");
    assert_eq!(sub.from.alias.as_ref().unwrap().name, "c");
}

#[test]
fn as_before_an_object_alias_is_refused_with_the_soql_form() {
    let text = "SELECT c.Id FROM Contact AS c";
    let (covered, message) = parse_error(text);
    assert_eq!(covered, "AS");
    assert_eq!(
        message,
        "SOQL writes an object alias without `AS`: `FROM Contact c`"
    );
    let (covered, message) = parse_error("SELECT Id FROM Contact c, c.Account as a");
    assert_eq!(covered, "as");
    assert_eq!(
        message,
        "SOQL writes an object alias without `AS`: `c.Account a`"
    );
    // After the comma comes a relationship path.
    let (covered, message) = parse_error("SELECT Id FROM Contact c, {x}");
    assert_eq!(covered, "{x}");
    assert!(
        message
            .starts_with("expected a relationship path after `,` in FROM, starting with an alias"),
        "{message}"
    );
}

// ---- checks against the dumps ----

#[test]
fn aliases_are_dropped_from_row_names() {
    // `c` is the object, `a` is `c.Account`: the server answers `Id`, `FirstName` and
    // `Account.Name`.
    let q = checked("SELECT c.Id, c.FirstName, a.Name FROM Contact c, c.Account a");
    assert_eq!(q.object, "Contact");
    assert_eq!(q.alias.as_deref(), Some("c"));
    let paths: Vec<(&str, &str)> = q
        .selected
        .iter()
        .map(|s| (s.path.as_str(), s.column.as_str()))
        .collect();
    assert_eq!(
        paths,
        [
            ("Id", "Id"),
            ("FirstName", "FirstName"),
            ("Account.Name", "Account.Name")
        ]
    );
    assert_eq!(q.selected[2].field_object.as_deref(), Some("Account"));
    assert_eq!(q.selected[1].rust_type, RustType::Plain("String"));

    // A relationship alias on a relationship alias.
    let q = checked(
        "SELECT o.Email FROM Contact c, c.Account a, a.Owner o WHERE a.Name = {n} AND o.IsActive = {yes}",
    );
    assert_eq!(q.selected[0].column, "Account.Owner.Email");
    assert_eq!(q.selected[0].field_object.as_deref(), Some("User"));
    assert_eq!(q.binds[0].kind, BindKind::Text);
    assert_eq!(q.binds[1].kind, BindKind::Boolean);

    // A subquery on the outer alias, with an alias of its own.
    let q = checked("select a.Name, (select c.LastName from a.Contacts c) from Account a");
    assert_eq!(q.selected[0].column, "Name");
    assert_eq!(q.selected[1].path, "Contacts");
    assert_eq!(q.selected[1].column, "Contacts");
    let SelectedKind::Subquery(sub) = &q.selected[1].kind else {
        panic!("{:?}", q.selected[1])
    };
    assert_eq!(sub.object, "Contact");
    assert_eq!(sub.selected[0].path, "LastName");
    assert_eq!(sub.selected[0].column, "LastName");

    // Relationship aliases inside a subquery and a semi-join.
    let q = checked(
        "SELECT a.Name, (SELECT c.LastName, o.Email FROM a.Contacts c, c.Owner o) FROM Account a \
         WHERE a.Id IN (SELECT k.AccountId FROM Contact k, k.Owner u WHERE u.IsActive = {yes})",
    );
    let SelectedKind::Subquery(sub) = &q.selected[1].kind else {
        panic!("{:?}", q.selected[1])
    };
    let columns: Vec<&str> = sub.selected.iter().map(|s| s.column.as_str()).collect();
    assert_eq!(columns, ["LastName", "Owner.Email"]);
    assert_eq!(q.binds[0].kind, BindKind::Boolean);

    // The object's own name as a qualifier, and a function's argument.
    let q = checked("SELECT Account.Name, toLabel(a.Industry) FROM Account a");
    assert_eq!(q.selected[0].column, "Name");
    assert_eq!(q.selected[1].column, "Industry");

    // Grouping compares the resolved paths.
    let q =
        checked("SELECT a.Name, COUNT(c.Id) n FROM Contact c, c.Account a GROUP BY Account.Name");
    assert!(q.aggregate);
    assert_eq!(q.selected[0].column, "Name");
}

#[test]
fn errors_in_aliased_queries_point_at_the_text() {
    let (covered, message) = one_error("SELECT c.Nmae FROM Contact c");
    assert_eq!(covered, "Nmae");
    assert_eq!(message, "no field `Nmae` on Contact (did you mean `Name`?)");
    let (covered, message) = one_error("SELECT c.Id, a.Nmae FROM Contact c, c.Account a");
    assert_eq!(covered, "Nmae");
    assert_eq!(message, "no field `Nmae` on Account (did you mean `Name`?)");
    let (covered, message) =
        one_error("SELECT Id FROM Contact c, c.Account a WHERE a.Industy = 'x'");
    assert_eq!(covered, "Industy");
    assert!(
        message.starts_with("no field `Industy` on Account"),
        "{message}"
    );
    // An unknown alias prefix.
    let (covered, message) = one_error("SELECT x.Name FROM Contact c, c.Account a");
    assert_eq!(covered, "x");
    assert_eq!(
        message,
        "`x` is not an alias of this query (`c`, `a`) nor a relationship on Contact"
    );
    let (covered, message) = one_error("SELECT acc.Name FROM Contact con, con.Account acct");
    assert_eq!(covered, "acc");
    assert!(message.ends_with("(did you mean `acct`?)"), "{message}");
    // A field used as a prefix keeps its own message.
    let (_, message) = one_error("SELECT AccountId.Name FROM Contact c");
    assert!(
        message.contains("is a field, not a relationship"),
        "{message}"
    );
    // In FROM: the path starts with an alias declared before it, then relationships.
    let (covered, message) = one_error("SELECT Id FROM Contact c, x.Account a");
    assert_eq!(covered, "x");
    assert_eq!(
        message,
        "`x` is not an alias declared before it in FROM (`c`) nor the object Contact"
    );
    let (covered, message) = one_error("SELECT Id FROM Contact c, c.Acount a");
    assert_eq!(covered, "Acount");
    assert_eq!(
        message,
        "no relationship `Acount` on Contact (did you mean `Account`?)"
    );
    let (covered, message) = one_error("SELECT Id FROM Contact c, c.Account c");
    assert_eq!(&covered, "c");
    assert_eq!(message, "the alias `c` is already declared in this FROM");
    let text = "SELECT Id FROM Contact c, c.Account c";
    assert_eq!(errors(text)[0].span, 36..37);
    let (covered, message) = one_error("SELECT Id FROM Contact c, Account a");
    assert_eq!(covered, "Account");
    assert_eq!(
        message,
        "expected a relationship path after `,` in FROM, starting with an alias (as in `FROM Contact c, c.Account a`), found `Account`"
    );
    // An alias of a subquery's child object.
    let (covered, message) =
        one_error("SELECT a.Name, (SELECT c.Nmae FROM a.Contacts c) FROM Account a");
    assert_eq!(covered, "Nmae");
    assert_eq!(message, "no field `Nmae` on Contact (did you mean `Name`?)");
}

#[test]
fn parent_paths_resolve() {
    let q = checked("SELECT Name, Owner.Name FROM Account");
    assert_eq!(q.object, "Account");
    assert!(!q.aggregate);
    assert_eq!(q.selected.len(), 2);
    let owner = &q.selected[1];
    assert_eq!(owner.path, "Owner.Name");
    assert_eq!(owner.column, "Owner.Name");
    assert_eq!(owner.field.as_ref().unwrap().name, "Name");
    assert_eq!(owner.field_object.as_deref(), Some("User"));
    assert_eq!(owner.rust_type, RustType::Plain("String"));
    assert_eq!(owner.kind, SelectedKind::Field);

    let q = checked("SELECT Id, Account.Owner.Email FROM contact");
    assert_eq!(q.object, "Contact");
    let email = &q.selected[1];
    assert_eq!(email.path, "Account.Owner.Email");
    assert_eq!(email.field.as_ref().unwrap().field_type, FieldType::Email);
    assert_eq!(email.field_object.as_deref(), Some("User"));
    assert_eq!(q.selected[0].rust_type, RustType::Runtime("Id"));

    // Alias and object-name qualifiers are skipped.
    let q = checked("SELECT a.Name, a.Owner.Email FROM Account a WHERE a.Industry != null");
    assert_eq!(q.alias.as_deref(), Some("a"));
    assert_eq!(q.selected[1].field_object.as_deref(), Some("User"));
    let q = checked("SELECT Account.Name FROM Account");
    assert_eq!(q.selected[0].field.as_ref().unwrap().name, "Name");
}

#[test]
fn child_subqueries_resolve_on_the_child() {
    let q = checked(
        "SELECT Name, (SELECT Id, LastName FROM Contacts WHERE Email != null) FROM Account",
    );
    let SelectedKind::Subquery(sub) = &q.selected[1].kind else {
        panic!("{:?}", q.selected[1])
    };
    assert_eq!(sub.relationship, "Contacts");
    assert_eq!(sub.object, "Contact");
    let names: Vec<&str> = sub
        .selected
        .iter()
        .map(|s| s.field.as_ref().unwrap().name.as_str())
        .collect();
    assert_eq!(names, ["Id", "LastName"]);
    assert_eq!(q.selected[1].column, "Contacts");

    // `Account.Contacts` with `Contact.` qualifiers inside.
    let q = checked("SELECT Name, (SELECT Contact.LastName FROM Account.Contacts) FROM Account");
    let SelectedKind::Subquery(sub) = &q.selected[1].kind else {
        panic!()
    };
    assert_eq!(sub.selected[0].field.as_ref().unwrap().name, "LastName");
}

#[test]
fn polymorphic_relationships_accept_fields_of_any_target() {
    // Event.Who → Contact or Lead: Name is on both; Type is the target's type.
    let q = checked("SELECT Id, Who.Name, Who.Type, What.Name FROM Event");
    assert_eq!(q.selected[1].field_object.as_deref(), Some("Contact"));
    assert_eq!(q.selected[2].field.as_ref().unwrap().name, "Type");
    assert_eq!(q.selected[2].rust_type, RustType::Plain("String"));
    // What → Account (has a dump) among many that do not.
    assert_eq!(q.selected[3].field_object.as_deref(), Some("Account"));

    // Case.Owner → Group or User.
    let q = checked("SELECT Id, Owner.Name, Owner.IsActive FROM Case");
    assert_eq!(q.selected[1].field_object.as_deref(), Some("Group"));
    // IsActive is only on User: still accepted.
    assert_eq!(q.selected[2].field_object.as_deref(), Some("User"));

    // A field on no target.
    // Industry is on Lead only: accepted, resolved there.
    let q = checked("SELECT Who.Industry FROM Event");
    assert_eq!(q.selected[0].field_object.as_deref(), Some("Lead"));
    // A field on no target.
    let (covered, message) = one_error("SELECT Who.TickerSymbol FROM Event");
    assert_eq!(covered, "TickerSymbol");
    assert_eq!(message, "no field `TickerSymbol` on Contact or Lead");
    // Not checked on targets without dumps, and said so.
    let (_, message) = one_error("SELECT Owner.Nam FROM Event");
    assert_eq!(
        message,
        "no field `Nam` on User (did you mean `Name`?); not checked on Calendar (no describe dump)"
    );
}

#[test]
fn typeof_branches_resolve_per_type() {
    let q = checked(
        "SELECT Id, TYPEOF What WHEN Account THEN Phone, NumberOfEmployees \
         WHEN Opportunity THEN Amount ELSE Name END FROM Event",
    );
    let SelectedKind::TypeOf {
        relationship,
        branches,
        else_selected,
    } = &q.selected[1].kind
    else {
        panic!()
    };
    assert_eq!(relationship, "What");
    assert_eq!(branches[0].object, "Account");
    assert_eq!(branches[0].selected[1].rust_type, RustType::Plain("i32"));
    assert_eq!(
        branches[1].selected[0].rust_type,
        RustType::Runtime("Decimal")
    );
    assert_eq!(else_selected[0].field.as_ref().unwrap().name, "Name");
    assert_eq!(q.selected[1].rust_type, RustType::Runtime("SObject"));

    let (covered, message) = one_error("SELECT TYPEOF What WHEN Acount THEN Name END FROM Event");
    assert_eq!(covered, "Acount");
    assert_eq!(
        message,
        "`Acount` is not a type `What` on Event can point to (did you mean `Account`?)"
    );
}

#[test]
fn semi_joins_check_both_objects() {
    let q = checked(
        "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = {last})",
    );
    assert_eq!(q.binds[0].kind, BindKind::Text);
    assert!(!q.binds[0].list);

    let (covered, message) =
        one_error("SELECT Id FROM Account WHERE Id IN (SELECT LastName FROM Contact)");
    assert_eq!(covered, "LastName");
    assert_eq!(
        message,
        "a semi-join selects one Id or reference field; `LastName` is string"
    );
    let (covered, message) =
        one_error("SELECT Id FROM Account WHERE Name IN (SELECT AccountId FROM Contact)");
    assert_eq!(covered, "Name");
    assert!(message.starts_with("the field before IN (SELECT …) must be an Id"));
    let (covered, _) =
        one_error("SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contct)");
    assert_eq!(covered, "Contct");
}

#[test]
fn aggregates_get_columns_and_types() {
    let q = checked(
        "SELECT Industry, COUNT(Id) total, MAX(AnnualRevenue), CALENDAR_YEAR(CreatedDate) FROM Account \
         GROUP BY Industry, CALENDAR_YEAR(CreatedDate) HAVING COUNT(Id) > {min} ORDER BY total DESC NULLS LAST",
    );
    assert!(q.aggregate);
    let columns: Vec<&str> = q.selected.iter().map(|s| s.column.as_str()).collect();
    assert_eq!(columns, ["Industry", "total", "expr0", "expr1"]);
    assert_eq!(q.selected[1].rust_type, RustType::Plain("i64"));
    assert_eq!(q.selected[1].alias.as_deref(), Some("total"));
    assert_eq!(q.selected[1].field, None);
    match &q.selected[1].kind {
        SelectedKind::Function {
            function,
            argument,
            aggregate,
        } => {
            assert_eq!(*function, Function::Count);
            assert_eq!(argument.as_ref().unwrap().name, "Id");
            assert!(*aggregate);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(q.selected[2].rust_type, RustType::Runtime("Decimal"));
    assert_eq!(q.selected[3].rust_type, RustType::Plain("i32"));
    assert_eq!(q.binds[0].kind, BindKind::Int);

    let q = checked("SELECT COUNT() FROM Contact WHERE AccountId = {account}");
    assert!(q.count_only);
    assert!(!q.aggregate);
    assert_eq!(q.binds[0].kind, BindKind::Id);

    // toLabel / FORMAT keep the field's key and give text.
    let q = checked("SELECT toLabel(Industry), FORMAT(AnnualRevenue) rev FROM Account");
    assert_eq!(q.selected[0].column, "Industry");
    assert_eq!(q.selected[0].rust_type, RustType::Plain("String"));
    assert_eq!(q.selected[1].column, "rev");

    // FIELDS(STANDARD) lists the standard fields.
    let q = checked("SELECT FIELDS(STANDARD) FROM Custom__c");
    let SelectedKind::Fields { scope, fields } = &q.selected[0].kind else {
        panic!()
    };
    assert_eq!(*scope, FieldsScope::Standard);
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["Id", "Name"]);
}

#[test]
fn order_by_nulls_last_and_limit_bind() {
    let q = checked(
        "SELECT Name FROM Account ORDER BY Name ASC NULLS LAST LIMIT {n} OFFSET {page * 10}",
    );
    assert_eq!(q.binds.len(), 2);
    assert_eq!(q.binds[0].kind, BindKind::Int);
    assert_eq!(q.binds[1].kind, BindKind::Int);
    assert_eq!(q.binds[1].expr, "page * 10");
    assert_eq!(
        q.segments(),
        vec![
            Segment::Text("SELECT Name FROM Account ORDER BY Name ASC NULLS LAST LIMIT ".into()),
            Segment::Bind(0),
            Segment::Text(" OFFSET ".into()),
            Segment::Bind(1),
        ]
    );
    let (covered, message) = one_error("SELECT Name FROM Account ORDER BY Nme");
    assert_eq!(covered, "Nme");
    assert_eq!(message, "no field `Nme` on Account (did you mean `Name`?)");
}

// ---- bind kinds ----

#[test]
fn binds_take_the_kind_of_their_field() {
    let text =
        "SELECT Id FROM Account WHERE Name = {name} AND Id = {id} AND LastActivityDate = {day} \
                AND CreatedDate > {since} AND AnnualRevenue > {revenue} AND IsDeleted = {deleted} \
                AND NumberOfEmployees < {staff} AND BillingLatitude > {lat} AND Id IN {ids} \
                AND Industry NOT IN ({industry}, 'Banking') AND OwnerId IN {owners} \
                AND Name LIKE {pattern} AND CreatedDate = LAST_N_DAYS:{days} LIMIT {n}";
    let q = checked(text);
    let kinds: Vec<(&str, BindKind, bool)> = q
        .binds
        .iter()
        .map(|b| (b.expr.as_str(), b.kind, b.list))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("name", BindKind::Text, false),
            ("id", BindKind::Id, false),
            ("day", BindKind::Date, false),
            ("since", BindKind::DateTime, false),
            ("revenue", BindKind::Number, false),
            ("deleted", BindKind::Boolean, false),
            ("staff", BindKind::Int, false),
            ("lat", BindKind::Number, false),
            ("ids", BindKind::Id, true),
            ("industry", BindKind::Text, false),
            ("owners", BindKind::Id, true),
            ("pattern", BindKind::Like, false),
            ("days", BindKind::Int, false),
            ("n", BindKind::Int, false),
        ]
    );
    // Spans include the braces.
    assert_eq!(&text[q.binds[0].span.clone()], "{name}");
}

#[test]
fn list_binds_time_and_functions() {
    let q = checked(
        "SELECT Id FROM Project__c WHERE Tags__c INCLUDES {tags} AND Tags__c EXCLUDES ({one}) \
         AND Starts__c = {at} AND Account__r.Name = {account}",
    );
    let kinds: Vec<(BindKind, bool)> = q.binds.iter().map(|b| (b.kind, b.list)).collect();
    assert_eq!(
        kinds,
        [
            (BindKind::Text, true),
            (BindKind::Text, false),
            (BindKind::Time, false),
            (BindKind::Text, false),
        ]
    );
    let q = checked(
        "SELECT StageName, SUM(Amount) FROM Opportunity WHERE CALENDAR_YEAR(CloseDate) = {year} \
         AND DAY_ONLY(CreatedDate) > {day} AND convertCurrency(Amount) > {amount} \
         GROUP BY StageName HAVING SUM(Amount) > {total} AND MAX(CloseDate) < {last}",
    );
    let kinds: Vec<BindKind> = q.binds.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        [
            BindKind::Int,
            BindKind::Date,
            BindKind::Number,
            BindKind::Number,
            BindKind::Date
        ]
    );
}

// ---- errors ----

#[test]
fn unknown_object() {
    let text = "SELECT Id FROM Acount";
    let errors = errors(text);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].span, 15..21);
    assert_eq!(
        errors[0].message,
        "no sObject `Acount` in the describe dumps (did you mean `Account`?)"
    );
    assert_eq!(
        errors[0].render(text),
        "error: no sObject `Acount` in the describe dumps (did you mean `Account`?)\n \
         --> 1:16\n  |\n1 | SELECT Id FROM Acount\n  |                ^^^^^^\n"
    );
}

#[test]
fn unknown_field_with_suggestion() {
    let errors = errors("SELECT Nmae FROM Account");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].span, 7..11);
    assert_eq!(
        errors[0].message,
        "no field `Nmae` on Account (did you mean `Name`?)"
    );
    // The last segment of a path, on the related object.
    let (covered, message) = one_error("SELECT Owner.Emial FROM Account");
    assert_eq!(covered, "Emial");
    assert_eq!(message, "no field `Emial` on User (did you mean `Email`?)");
    // A relationship where a field is expected.
    let (covered, message) = one_error("SELECT Owner FROM Account");
    assert_eq!(covered, "Owner");
    assert!(
        message.starts_with("`Owner` on Account is a relationship, not a field"),
        "{message}"
    );
}

#[test]
fn all_errors_are_reported() {
    let text = "SELECT Nmae, Phne FROM Account WHERE Industy = 'x' ORDER BY Ratting";
    let errors = errors(text);
    let covered: Vec<&str> = errors.iter().map(|e| &text[e.span.clone()]).collect();
    assert_eq!(covered, ["Nmae", "Phne", "Industy", "Ratting"]);
    assert!(errors[1].message.ends_with("(did you mean `Phone`?)"));
    assert!(errors[3].message.ends_with("(did you mean `Rating`?)"));
}

#[test]
fn unknown_relationship() {
    let (covered, message) = one_error("SELECT Ownr.Name FROM Account");
    assert_eq!(covered, "Ownr");
    assert_eq!(
        message,
        "no relationship `Ownr` on Account (did you mean `Owner`?)"
    );
    let (covered, message) = one_error("SELECT OwnerId.Name FROM Account");
    assert_eq!(covered, "OwnerId");
    assert_eq!(
        message,
        "`OwnerId` on Account is a field, not a relationship; the relationship is `Owner`"
    );
}

#[test]
fn missing_dump_for_a_related_object() {
    let text = "SELECT Id, RecordType.Name FROM Account";
    let errors = errors(text);
    assert_eq!(errors.len(), 1);
    assert_eq!(&text[errors[0].span.clone()], "RecordType");
    assert_eq!(
        errors[0].message,
        "`RecordType` on Account points to RecordType, which has no describe dump; add RecordType to the dumps"
    );
    // Deeper: Contact → Account (dump) → DandbCompany (no dump).
    let (covered, message) = one_error("SELECT Account.DandbCompany.Name FROM Contact");
    assert_eq!(covered, "Account.DandbCompany");
    assert!(message.contains("points to DandBCompany, which has no describe dump"));
    // A custom relationship to an object without a dump.
    let (_, message) = one_error("SELECT Sponsor__r.Name FROM Project__c");
    assert!(
        message.contains("add Portfolio__c to the dumps"),
        "{message}"
    );
    // A child relationship whose child has no dump.
    let (covered, message) = one_error("SELECT Id, (SELECT Id FROM Tasks__r) FROM Project__c");
    assert_eq!(covered, "Tasks__r");
    assert_eq!(
        message,
        "`Tasks__r` on Project__c is a relationship to ProjectTask__c, which has no describe dump; add ProjectTask__c to the dumps"
    );
}

#[test]
fn bad_child_relationship() {
    let text = "SELECT Name, (SELECT Id FROM Contactz) FROM Account";
    let errors = errors(text);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].span, 29..37);
    assert_eq!(
        errors[0].message,
        "no child relationship `Contactz` on Account (did you mean `Contacts`?)"
    );
    // An object name instead of the relationship name.
    let (covered, message) = one_error("SELECT Name, (SELECT Id FROM Case) FROM Account");
    assert_eq!(covered, "Case");
    assert!(message.contains("did you mean `Cases`?"), "{message}");
    // Fields of the subquery resolve on the child.
    let (covered, message) =
        one_error("SELECT Name, (SELECT Id, Industry FROM Contacts) FROM Account");
    assert_eq!(covered, "Industry");
    assert_eq!(message, "no field `Industry` on Contact");
}

#[test]
fn syntax_errors_say_what_was_expected() {
    let text = "SELECT Id FROM Account WHERE Name 'Acme'";
    let errors = parse(text).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(&text[errors[0].span.clone()], "'Acme'");
    assert_eq!(
        errors[0].message,
        "expected a comparison operator (=, !=, <, <=, >, >=, LIKE, IN, NOT IN, INCLUDES, EXCLUDES), found string `'Acme'`"
    );

    let text = "SELECT Id, FROM Account";
    let errors = parse(text).unwrap_err();
    assert_eq!(errors[0].span, 11..15);
    assert_eq!(
        errors[0].message,
        "expected a field, function, subquery or TYPEOF, found `FROM`"
    );

    let text = "SELECT Id FROM Account WHERE";
    let errors = parse(text).unwrap_err();
    assert_eq!(errors[0].span, 28..28);
    assert_eq!(
        errors[0].message,
        "expected a field, function, `NOT` or `(`, found end of query"
    );

    let text = "SELECT Id FROM Account LIMIT 5 WHERE Name = 'x'";
    let errors = parse(text).unwrap_err();
    assert_eq!(&text[errors[0].span.clone()], "WHERE");
    assert!(errors[0]
        .message
        .starts_with("expected end of query, found `WHERE`: clauses go in the order"));

    let (covered, message) = parse_error("SELECT Id FORM Account");
    assert_eq!(covered, "FORM");
    assert_eq!(message, "expected `FROM`, found `FORM`");

    let (covered, message) = parse_error("SELECT CONT(Id) FROM Account");
    assert_eq!(covered, "CONT");
    assert_eq!(message, "unknown function `CONT` (did you mean `COUNT`?)");

    let (covered, message) = parse_error("SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAY:3");
    assert_eq!(covered, "LAST_N_DAY");
    assert!(
        message.ends_with("found `LAST_N_DAY` (did you mean `LAST_N_DAYS`?)"),
        "{message}"
    );

    let (covered, message) = parse_error("SELECT Id FROM Account WHERE Name = :name");
    assert_eq!(covered, ":name");
    assert_eq!(
        message,
        "Apex binds (`:name`) are not supported; write `{name}`"
    );

    let (covered, message) = parse_error("SELECT Id FROM Account LIMIT 2.5");
    assert_eq!(covered, "2.5");
    assert_eq!(message, "LIMIT takes a whole number, found `2.5`");

    let (covered, message) = parse_error("SELECT COUNT_DISTINCT(Id, Name) FROM Account");
    assert_eq!(covered, "COUNT_DISTINCT(Id, Name)");
    assert_eq!(message, "`COUNT_DISTINCT` takes 1 argument, found 2");

    let (covered, message) = parse_error("SELECT Id FROM Account.Contacts");
    assert_eq!(covered, "Account.Contacts");
    assert_eq!(
        message,
        "expected an object name after `FROM`, found the path `Account.Contacts`"
    );

    let (covered, message) = parse_error("SELECT Id FROM Account WHERE Name = \"Acme\"");
    assert_eq!(covered, "\"Acme\"");
    assert!(message.contains("single quotes"));
}

fn parse_error(text: &str) -> (String, String) {
    let errors = parse(text).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    (
        text[errors[0].span.clone()].to_owned(),
        errors[0].message.clone(),
    )
}

#[test]
fn unterminated_string() {
    let text = "SELECT Id FROM Account WHERE Name = 'Acme";
    let errors = parse(text).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].span, 36..41);
    assert_eq!(
        errors[0].message,
        "unterminated string: missing the closing `'`"
    );
    // check() reports it the same way.
    assert_eq!(check(text, &schema()).unwrap_err(), errors);
}

#[test]
fn unbalanced_bind_braces() {
    let text = "SELECT Id FROM Account WHERE Name = {names[0] AND Id = {id}";
    let errors = parse(text).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].span, 36..text.len());
    assert_eq!(
        errors[0].message,
        "unbalanced braces in bind: this `{` has no matching `}`"
    );
    let text = "SELECT Id FROM Account WHERE Name = name} LIMIT 1";
    let errors = parse(text).unwrap_err();
    assert_eq!(errors[0].span, 40..41);
    assert_eq!(errors[0].message, "unmatched `}`: no bind `{` opens it");
    // Braces and quotes inside Rust literals do not count.
    let q = parse(r#"SELECT Id FROM Account WHERE Name = {format!("{}'}}", x)} LIMIT 1"#).unwrap();
    assert_eq!(q.binds[0].expr, r#"format!("{}'}}", x)"#);
}

#[test]
fn literal_values_must_suit_the_field() {
    let (covered, message) = one_error("SELECT Id FROM Account WHERE NumberOfEmployees = 'ten'");
    assert_eq!(covered, "'ten'");
    assert_eq!(
        message,
        "expected a whole number for `NumberOfEmployees` (int), found a string"
    );
    let (covered, message) = one_error("SELECT Id FROM Account WHERE CreatedDate > 2024-01-01");
    assert_eq!(covered, "2024-01-01");
    assert!(message.starts_with("expected a datetime"), "{message}");
    let (_, message) = one_error("SELECT Id FROM Account WHERE IsDeleted = 1");
    assert_eq!(
        message,
        "expected true or false for `IsDeleted` (boolean), found a number"
    );
    let (covered, message) = one_error("SELECT Id FROM Account WHERE Name INCLUDES ('a')");
    assert_eq!(covered, "INCLUDES");
    assert_eq!(
        message,
        "INCLUDES works on multi-select picklists only; `Name` is string"
    );
    let (_, message) = one_error("SELECT Id FROM Account WHERE COUNT(Id) > 1");
    assert!(message.starts_with("aggregate functions are not allowed in WHERE"));
    // null suits everything; currency literals suit currency fields.
    checked("SELECT Id FROM Account WHERE LastActivityDate = null AND AnnualRevenue < USD5.5");
}

#[test]
fn aggregate_rules() {
    let (covered, message) = one_error("SELECT Name, COUNT(Id) FROM Account GROUP BY Industry");
    assert_eq!(covered, "Name");
    assert!(message.contains("must be grouped"));
    let (covered, message) = one_error("SELECT Id Name FROM Account");
    assert_eq!(covered, "Name");
    assert!(
        message.contains("is a `,` missing before `Name`?"),
        "{message}"
    );
    let text = "SELECT COUNT(), Name FROM Account";
    let errors = errors(text);
    assert_eq!(&text[errors[0].span.clone()], "COUNT()");
    assert!(errors[0]
        .message
        .starts_with("COUNT() must be the only item"));
    let (covered, message) = one_error("SELECT FIELDS(ALL) FROM Account");
    assert_eq!(covered, "FIELDS(ALL)");
    assert_eq!(
        message,
        "FIELDS(ALL) needs LIMIT 200 or less (the server refuses it unbounded)"
    );
}

#[test]
fn parse_without_a_schema_gives_object_binds_and_segments() {
    let text =
        "SELECT Id FROM Invoice__c WHERE Status__c IN {states} AND Total__c > {min} LIMIT {n}";
    let query = parse(text).unwrap();
    assert_eq!(query.object(), "Invoice__c");
    let binds: Vec<(&str, BindKind, bool)> = query
        .binds()
        .iter()
        .map(|b| (b.expr.as_str(), b.kind, b.list))
        .collect();
    assert_eq!(
        binds,
        [
            ("states", BindKind::Any, true),
            ("min", BindKind::Any, false),
            ("n", BindKind::Int, false)
        ]
    );
    assert_eq!(
        query.segments(),
        [
            Segment::Text("SELECT Id FROM Invoice__c WHERE Status__c IN ".into()),
            Segment::Bind(0),
            Segment::Text(" AND Total__c > ".into()),
            Segment::Bind(1),
            Segment::Text(" LIMIT ".into()),
            Segment::Bind(2),
        ]
    );
    assert!(!query.is_count_only());
    assert!(parse("SELECT COUNT() FROM Lead").unwrap().is_count_only());
}

#[test]
fn render_on_a_multi_line_statement() {
    let text = "SELECT Id,\n       Nmae\nFROM Account";
    let errors = errors(text);
    assert_eq!(
        errors[0].render(text),
        "error: no field `Nmae` on Account (did you mean `Name`?)\n --> 2:8\n  |\n\
         2 |        Nmae\n  |        ^^^^\n"
    );
}

/// Cut and damaged statements give errors, never panics.
#[test]
fn broken_input_never_panics() {
    let schema = schema();
    let junk = [
        "'", "{", "}", "(", ")", "\"", "\\", "é", ":", "-", "2024-", "{'", "r#\"",
    ];
    for (text, _) in CORPUS {
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|i| text.is_char_boundary(*i))
            .collect();
        for &cut in &boundaries {
            let prefix = &text[..cut];
            let _ = parse(prefix);
            let _ = check(prefix, &schema);
            if let Err(errors) = check(prefix, &schema) {
                for e in &errors {
                    assert!(e.span.end <= prefix.len(), "{prefix:?}: {e:?}");
                    let _ = e.render(prefix);
                }
            }
        }
        for (n, piece) in junk.iter().enumerate() {
            let at = boundaries[(n * 7919) % boundaries.len()];
            let damaged = format!("{}{piece}{}", &text[..at], &text[at..]);
            if let Err(errors) = check(&damaged, &schema) {
                for e in &errors {
                    let _ = e.render(&damaged);
                }
            }
        }
    }
}
