#!/usr/bin/env python3
"""Writes the describe dumps of the standard objects the local org bundles and no public
capture covers (User, Group, Opportunity, Campaign, Task, Document, EmailTemplate), in the
REST describe format (`/sobjects/X/describe`), every key a real dump has.

The fields, types, lengths and picklist values follow Salesforce's object reference; the
files are written for this project, not captured. Run from the repository root:

    python3 localorg/tools/write_describes.py   # writes localorg/describe/<Name>.json
"""
import json
import os

SOAP = {
    "id": "tns:ID", "reference": "tns:ID", "string": "xsd:string", "picklist": "xsd:string",
    "multipicklist": "xsd:string", "textarea": "xsd:string", "phone": "xsd:string",
    "email": "xsd:string", "url": "xsd:string", "combobox": "xsd:string",
    "boolean": "xsd:boolean", "int": "xsd:int", "double": "xsd:double",
    "currency": "xsd:double", "percent": "xsd:double", "date": "xsd:date",
    "datetime": "xsd:dateTime", "base64": "xsd:base64Binary",
}
TEXT_LENGTH = {"id": 18, "reference": 18, "phone": 40, "email": 80, "url": 255}


def field(name, type_, label=None, length=None, required=False, readonly=False,
          defaulted=False, picklist=(), restricted=False, refs=(), rel=None, unique=False,
          external_id=False, precision=0, scale=0, digits=0, name_field=False, default=None,
          calculated=False, update=True, cascade=False, polymorphic=False):
    text = SOAP[type_] in ("xsd:string", "tns:ID")
    length = length if length is not None else (TEXT_LENGTH.get(type_, 255 if text else 0))
    if type_ in ("picklist", "multipicklist") and length == 255:
        length = 255 if type_ == "picklist" else 4099
    values = [{"active": True, "defaultValue": v == default, "label": v, "validFor": None,
               "value": v} for v in picklist]
    createable = not readonly and not calculated
    return {
        "aggregatable": type_ not in ("textarea", "base64", "multipicklist"),
        "aiPredictionField": False, "autoNumber": False,
        "byteLength": length * 3 if text else 0,
        "calculated": calculated, "calculatedFormula": None, "cascadeDelete": cascade,
        "caseSensitive": False, "compoundFieldName": None, "controllerName": None,
        "createable": createable, "custom": name.endswith("__c"),
        "defaultValue": (type_ == "boolean" and default) if type_ == "boolean" else None,
        "defaultValueFormula": None,
        "defaultedOnCreate": defaulted or type_ == "boolean" or readonly,
        "dependentPicklist": False, "deprecatedAndHidden": False, "digits": digits,
        "displayLocationInDecimal": False, "encrypted": False, "externalId": external_id,
        "extraTypeInfo": None, "filterable": type_ not in ("textarea", "base64"),
        "filteredLookupInfo": None, "formulaTreatNullNumberAsZero": False,
        "groupable": type_ in ("string", "picklist", "reference", "id", "boolean", "date",
                                "email", "phone", "url", "int"),
        "highScaleNumber": False, "htmlFormatted": False,
        "idLookup": type_ == "id" or unique or external_id or name_field and type_ == "string" and False,
        "inlineHelpText": None, "label": label or name, "length": length, "mask": None,
        "maskType": None, "name": name, "nameField": name_field,
        "namePointing": polymorphic, "nillable": not required and type_ != "boolean" and type_ != "id",
        "permissionable": not required and not readonly and type_ != "id",
        "picklistValues": values, "polymorphicForeignKey": polymorphic,
        "precision": precision, "queryByDistance": False, "referenceTargetField": None,
        "referenceTo": list(refs), "relationshipName": rel, "relationshipOrder": None,
        "restrictedDelete": False, "restrictedPicklist": restricted, "scale": scale,
        "searchPrefilterable": False, "soapType": SOAP[type_],
        "sortable": type_ not in ("textarea", "base64", "multipicklist"),
        "type": type_, "unique": unique,
        "updateable": createable and update and type_ != "id",
        "writeRequiresMasterRead": False,
    }


def system_fields(label, owner=True, owner_refs=("Group", "User")):
    out = [field("Id", "id", f"{label} ID", readonly=True, required=True)]
    if owner:
        out.append(field("OwnerId", "reference", "Owner ID", required=True, defaulted=True,
                         refs=owner_refs, rel="Owner", polymorphic=len(owner_refs) > 1))
    out.append(field("IsDeleted", "boolean", "Deleted", readonly=True))
    return out


def audit_fields():
    return [
        field("CreatedDate", "datetime", "Created Date", readonly=True, required=True),
        field("CreatedById", "reference", "Created By ID", readonly=True, required=True,
              refs=("User",), rel="CreatedBy"),
        field("LastModifiedDate", "datetime", "Last Modified Date", readonly=True, required=True),
        field("LastModifiedById", "reference", "Last Modified By ID", readonly=True,
              required=True, refs=("User",), rel="LastModifiedBy"),
        field("SystemModstamp", "datetime", "System Modstamp", readonly=True, required=True),
    ]


def child(obj, fld, rel, cascade=False):
    return {"cascadeDelete": cascade, "childSObject": obj, "deprecatedAndHidden": False,
            "field": fld, "junctionIdListNames": [], "junctionReferenceTo": [],
            "relationshipName": rel, "restrictedDelete": False}


def sobject(name, label, plural, prefix, fields, children=(), createable=True):
    return {
        "actionOverrides": [], "activateable": False, "childRelationships": list(children),
        "compactLayoutable": True, "createable": createable, "custom": False,
        "customSetting": False, "deepCloneable": False, "defaultImplementation": None,
        "deletable": createable, "deprecatedAndHidden": False, "extendedBy": None,
        "extendsInterfaces": None, "feedEnabled": True, "fields": fields,
        "hasSubtypes": False, "implementedBy": None, "implementsInterfaces": None,
        "isInterface": False, "isSubtype": False, "keyPrefix": prefix, "label": label,
        "labelPlural": plural, "layoutable": True, "listviewable": None,
        "lookupLayoutable": None, "mergeable": False, "mruEnabled": True, "name": name,
        "namedLayoutInfos": [], "networkScopeFieldName": None, "queryable": True,
        "recordTypeInfos": [], "replicateable": True, "retrieveable": True,
        "searchLayoutable": True, "searchable": True, "supportedScopes": [
            {"label": "All " + plural.lower(), "name": "everything"},
            {"label": "My " + plural.lower(), "name": "mine"}],
        "triggerable": True, "undeletable": createable, "updateable": createable,
        "urls": {"describe": f"/services/data/v66.0/sobjects/{name}/describe",
                 "sobject": f"/services/data/v66.0/sobjects/{name}"},
    }


STAGES = ["Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
          "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
          "Negotiation/Review", "Closed Won", "Closed Lost"]
LEAD_SOURCES = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"]
TIME_ZONES = ["America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Paris",
              "Asia/Tokyo", "Australia/Sydney", "GMT"]

OBJECTS = [
    sobject("User", "User", "Users", "005", [
        field("Id", "id", "User ID", readonly=True, required=True),
        field("Username", "string", "Username", length=80, required=True, unique=True),
        field("LastName", "string", "Last Name", length=80, required=True),
        field("FirstName", "string", "First Name", length=40),
        field("Name", "string", "Full Name", length=121, readonly=True, name_field=True),
        field("CompanyName", "string", "Company Name", length=80),
        field("Title", "string", "Title", length=80),
        field("Email", "email", "Email", length=128, required=True),
        field("Phone", "phone", "Phone"),
        field("Alias", "string", "Alias", length=8, required=True),
        field("CommunityNickname", "string", "Nickname", length=40, defaulted=True),
        field("IsActive", "boolean", "Active", default=True),
        field("TimeZoneSidKey", "picklist", "Time Zone", length=40, required=True,
              picklist=TIME_ZONES, restricted=True),
        field("LocaleSidKey", "picklist", "Locale", length=40, required=True,
              picklist=["en_US", "en_GB", "fr_FR", "de_DE", "ja_JP"], restricted=True),
        field("EmailEncodingKey", "picklist", "Email Encoding", length=40, required=True,
              picklist=["UTF-8", "ISO-8859-1"], restricted=True),
        field("LanguageLocaleKey", "picklist", "Language", length=40, required=True,
              picklist=["en_US", "fr", "de", "ja"], restricted=True),
        field("UserType", "picklist", "User Type", length=40, readonly=True,
              picklist=["Standard", "PowerPartner", "CsnOnly", "Guest"], restricted=True),
        field("ManagerId", "reference", "Manager ID", refs=("User",), rel="Manager"),
        field("LastLoginDate", "datetime", "Last Login", readonly=True),
        field("FederationIdentifier", "string", "SAML Federation ID", length=512,
              external_id=False, unique=False),
    ] + audit_fields(), children=[
        child("Account", "OwnerId", None), child("Opportunity", "OwnerId", None),
        child("User", "ManagerId", "ManagedUsers"),
    ]),
    sobject("Group", "Group", "Groups", "00G", [
        field("Id", "id", "Group ID", readonly=True, required=True),
        field("Name", "string", "Name", length=40, required=True, name_field=True),
        field("DeveloperName", "string", "Developer Name", length=80, defaulted=True),
        field("Type", "picklist", "Type", length=40, required=True,
              picklist=["Regular", "Queue", "Role", "Organization"], restricted=True),
        field("Email", "email", "Email"),
        field("OwnerId", "reference", "Owner ID", readonly=True, required=True,
              refs=("User",), rel="Owner"),
        field("DoesSendEmailToMembers", "boolean", "Send Email to Members"),
    ] + audit_fields()),
    sobject("Opportunity", "Opportunity", "Opportunities", "006",
            system_fields("Opportunity", owner_refs=("User",)) + [
        field("AccountId", "reference", "Account ID", refs=("Account",), rel="Account"),
        field("Name", "string", "Name", length=120, required=True, name_field=True),
        field("Description", "textarea", "Description", length=32000),
        field("StageName", "picklist", "Stage", length=255, required=True,
              picklist=STAGES, restricted=False),
        field("Amount", "currency", "Amount", precision=18, scale=2),
        field("Probability", "percent", "Probability (%)", precision=3, defaulted=True),
        field("CloseDate", "date", "Close Date", required=True),
        field("Type", "picklist", "Opportunity Type", length=255,
              picklist=["Existing Customer - Upgrade", "Existing Customer - Replacement",
                        "Existing Customer - Downgrade", "New Customer"]),
        field("NextStep", "string", "Next Step", length=255),
        field("LeadSource", "picklist", "Lead Source", picklist=LEAD_SOURCES),
        field("IsClosed", "boolean", "Closed", readonly=True),
        field("IsWon", "boolean", "Won", readonly=True),
        field("ForecastCategoryName", "picklist", "Forecast Category", defaulted=True,
              picklist=["Omitted", "Pipeline", "Best Case", "Commit", "Closed"]),
        field("CampaignId", "reference", "Campaign ID", refs=("Campaign",), rel="Campaign"),
    ] + audit_fields(), children=[
        child("Task", "WhatId", "Tasks", cascade=True),
        child("Event", "WhatId", "Events", cascade=True),
        child("OpportunityContactRole", "OpportunityId", "OpportunityContactRoles", cascade=True),
    ]),
    sobject("Campaign", "Campaign", "Campaigns", "701",
            system_fields("Campaign", owner_refs=("User",)) + [
        field("Name", "string", "Name", length=80, required=True, name_field=True),
        field("ParentId", "reference", "Parent Campaign ID", refs=("Campaign",), rel="Parent"),
        field("Type", "picklist", "Type",
              picklist=["Conference", "Webinar", "Trade Show", "Public Relations",
                        "Partners", "Referral Program", "Advertisement", "Banner Ads",
                        "Direct Mail", "Email", "Telemarketing", "Other"]),
        field("Status", "picklist", "Status",
              picklist=["Planned", "In Progress", "Completed", "Aborted"], default="Planned"),
        field("StartDate", "date", "Start Date"),
        field("EndDate", "date", "End Date"),
        field("ExpectedRevenue", "currency", "Expected Revenue in Campaign", precision=18),
        field("BudgetedCost", "currency", "Budgeted Cost in Campaign", precision=18),
        field("ActualCost", "currency", "Actual Cost in Campaign", precision=18),
        field("NumberSent", "double", "Num Sent in Campaign", precision=18),
        field("IsActive", "boolean", "Active"),
        field("Description", "textarea", "Description", length=32000),
    ] + audit_fields(), children=[
        child("Opportunity", "CampaignId", "Opportunities"),
        child("Campaign", "ParentId", "ChildCampaigns"),
    ]),
    sobject("Task", "Task", "Tasks", "00T",
            system_fields("Activity", owner_refs=("Group", "User")) + [
        field("WhoId", "reference", "Name ID", refs=("Contact", "Lead"), rel="Who",
              polymorphic=True),
        field("WhatId", "reference", "Related To ID",
              refs=("Account", "Opportunity", "Campaign", "Case"), rel="What",
              polymorphic=True),
        field("Subject", "combobox", "Subject", length=255,
              picklist=["Call", "Send Letter", "Send Quote", "Other"]),
        field("ActivityDate", "date", "Due Date Only"),
        field("Status", "picklist", "Status", length=40, required=True, defaulted=True,
              picklist=["Not Started", "In Progress", "Completed", "Waiting on someone else",
                        "Deferred"], default="Not Started", restricted=True),
        field("Priority", "picklist", "Priority", length=40, required=True, defaulted=True,
              picklist=["High", "Normal", "Low"], default="Normal", restricted=True),
        field("IsHighPriority", "boolean", "High Priority", readonly=True),
        field("Description", "textarea", "Description", length=32000),
        field("IsClosed", "boolean", "Closed", readonly=True),
        field("CallDurationInSeconds", "int", "Call Duration", digits=8),
        field("TaskSubtype", "picklist", "Task Subtype", update=False,
              picklist=["Task", "Email", "Call"], restricted=True),
    ] + audit_fields()),
    sobject("Document", "Document", "Documents", "015", [
        field("Id", "id", "Document ID", readonly=True, required=True),
        field("FolderId", "reference", "Folder ID", required=True, refs=("User",),
              rel="Folder", polymorphic=False),
        field("IsDeleted", "boolean", "Deleted", readonly=True),
        field("Name", "string", "Document Name", length=255, required=True, name_field=True),
        field("DeveloperName", "string", "Document Unique Name", length=80, defaulted=True),
        field("ContentType", "string", "MIME Type", length=120),
        field("Type", "string", "File Extension", length=40),
        field("IsPublic", "boolean", "Externally Available"),
        field("BodyLength", "int", "Body Length", readonly=True, digits=9),
        field("Body", "base64", "Body", length=0),
        field("Url", "url", "Url"),
        field("Description", "textarea", "Description", length=255),
        field("Keywords", "string", "Keywords", length=255),
        field("AuthorId", "reference", "Author ID", required=True, defaulted=True,
              refs=("User",), rel="Author"),
    ] + audit_fields()),
    sobject("EmailTemplate", "Email Template", "Email Templates", "00X", [
        field("Id", "id", "Email Template ID", readonly=True, required=True),
        field("Name", "string", "Email Template Name", length=80, required=True,
              name_field=True),
        field("DeveloperName", "string", "Template Unique Name", length=80, required=True,
              unique=True),
        field("OwnerId", "reference", "Owner ID", required=True, defaulted=True,
              refs=("User",), rel="Owner"),
        field("FolderId", "reference", "Folder ID", required=True, refs=("User",),
              rel="Folder"),
        field("IsActive", "boolean", "Available For Use"),
        field("TemplateType", "picklist", "Template Type", length=40, required=True,
              picklist=["text", "html", "custom", "visualforce"], restricted=True),
        field("Encoding", "picklist", "Encoding", length=40,
              picklist=["UTF-8", "ISO-8859-1"], restricted=True),
        field("Subject", "string", "Subject", length=1000),
        field("HtmlValue", "textarea", "HTML Value", length=384000),
        field("Body", "textarea", "Email Body", length=384000),
        field("Description", "string", "Description", length=1000),
        field("TimesUsed", "int", "Times Used", readonly=True, digits=9),
        field("LastUsedDate", "datetime", "Last Used Date", readonly=True),
    ] + audit_fields()),
]

if __name__ == "__main__":
    out = os.path.join(os.path.dirname(__file__), "..", "describe")
    for obj in OBJECTS:
        with open(os.path.join(out, obj["name"] + ".json"), "w") as f:
            json.dump(obj, f, indent=1, sort_keys=True)
            f.write("\n")
        print(obj["name"], len(obj["fields"]), "fields")
