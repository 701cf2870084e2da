//! The request body types the test servers read requests with. The runtime's partner
//! bindings leave them out (a client writes its arguments directly; see
//! `Settings::request_types`), so the tests declare the few they read, in the same table
//! macro generated code is written in (`cargo sforce generate --request-types` prints them).

::sforce::__private::complex_type! {
    /// The type of the `query` element.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct Query {
        /// The `queryString` element.
        pub query_string: String = one("p:queryString"),
    }
}
::sforce::__private::complex_type! {
    /// The type of the `queryMore` element.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct QueryMore {
        /// The `queryLocator` element.
        pub query_locator: String = one("p:queryLocator"),
    }
}
::sforce::__private::complex_type! {
    /// The type of the `create` element.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct Create {
        /// The `sObjects` element (repeated).
        pub s_objects: Vec<::sforce::__private::SObject> = many("p:sObjects"),
    }
}
::sforce::__private::complex_type! {
    /// The type of the `update` element.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct Update {
        /// The `sObjects` element (repeated).
        pub s_objects: Vec<::sforce::__private::SObject> = many("p:sObjects"),
    }
}
::sforce::__private::complex_type! {
    /// The type of the `upsert` element.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct Upsert {
        /// The `externalIDFieldName` element.
        pub external_id_field_name: String = one("p:externalIDFieldName"),
        /// The `sObjects` element (repeated).
        pub s_objects: Vec<::sforce::__private::SObject> = many("p:sObjects"),
    }
}
::sforce::__private::complex_type! {
    /// The type of the `retrieve` element.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct Retrieve {
        /// The `fieldList` element.
        pub field_list: String = one("p:fieldList"),
        /// The `sObjectType` element.
        pub s_object_type: String = one("p:sObjectType"),
        /// The `ids` element (repeated).
        pub ids: Vec<::sforce::__private::Id> = many("p:ids"),
    }
}
