#!/usr/bin/env python3
"""Drives a running local org with zeep, a Python SOAP stack, generated at run time from
the partner WSDL: login, create, query, update, query again, delete, queryAll.

    python3 localorg/tests/zeep_client.py WSDL LOGIN_URL USERNAME PASSWORD_AND_TOKEN

Exits 0 when every step answered as Salesforce would, 1 with the failed step otherwise.
Run by tools/zeep_check.sh (in CI), which starts `sforce-localorg` first.
"""

import sys

from lxml import etree
from zeep import Client
from zeep.plugins import HistoryPlugin

SOBJECT_NS = "urn:sobject.partner.soap.sforce.com"


def field(name, value):
    element = etree.Element(f"{{{SOBJECT_NS}}}{name}")
    element.text = value
    return element


def fields_of(record):
    """The any-content fields of a returned sObject, by local name."""
    values = {}
    for element in record._value_1 or []:
        if isinstance(element, etree._Element):
            values[etree.QName(element).localname] = element.text
    return values


def result(response):
    """The operation's result: zeep wraps it with the response headers when the operation
    declares some (`{'header': …, 'body': {'result': …}}`)."""
    try:
        return response["body"]["result"]
    except (KeyError, TypeError):
        return response


def check(condition, step):
    if not condition:
        print(f"zeep_client: FAILED at {step}", file=sys.stderr)
        sys.exit(1)
    print(f"zeep_client: ok   {step}")


def main():
    wsdl, login_url, username, password = sys.argv[1:5]
    history = HistoryPlugin()
    client = Client(wsdl, plugins=[history])
    soap_url = f"{login_url}/services/Soap/u/64.0"
    service = client.create_service("{urn:partner.soap.sforce.com}SoapBinding", soap_url)

    login = result(service.login(username=username, password=password))
    check(login.sessionId and login.serverUrl.startswith(login_url), "login")
    service = client.create_service("{urn:partner.soap.sforce.com}SoapBinding", login.serverUrl)
    session = {"SessionHeader": {"sessionId": login.sessionId}}

    sobject = client.get_type("{urn:sobject.partner.soap.sforce.com}sObject")
    accounts = [
        sobject(type="Account", Id=None, _value_1=[field("Name", f"Zeep {n}"), field("Industry", "Energy")])
        for n in range(3)
    ]
    created = result(service.create(sObjects=accounts, _soapheaders=session))
    check(len(created) == 3 and all(r.success for r in created), "create 3 accounts")
    ids = [r.id for r in created]

    found = result(service.query(
        queryString="SELECT Id, Name FROM Account WHERE Name LIKE 'Zeep%' ORDER BY Name",
        _soapheaders=session))
    names = [fields_of(r).get("Name") for r in found.records]
    check(found.size == 3 and names == ["Zeep 0", "Zeep 1", "Zeep 2"], "query them back")
    check(found.records[0].Id == ids[0], "the query returns the Ids create gave")

    change = sobject(type="Account", Id=ids[1], _value_1=[field("Name", "Zeep renamed")])
    updated = result(service.update(sObjects=[change], _soapheaders=session))
    check(updated[0].success, "update one")
    again = result(service.query(queryString=f"SELECT Name FROM Account WHERE Id = '{ids[1]}'",
                                 _soapheaders=session))
    check(fields_of(again.records[0]).get("Name") == "Zeep renamed", "the update is seen")

    deleted = result(service.delete(ids=ids[:2], _soapheaders=session))
    check(all(r.success for r in deleted), "delete two")
    live = result(service.query(queryString="SELECT COUNT() FROM Account WHERE Name LIKE 'Zeep%'",
                                _soapheaders=session))
    check(live.size == 1, "one left")
    every = result(service.queryAll(queryString="SELECT Id FROM Account WHERE Name LIKE 'Zeep%'",
                                    _soapheaders=session))
    check(every.size == 3, "queryAll sees the deleted ones")

    try:
        service.query(queryString="SELECT Nmae FROM Account", _soapheaders=session)
        check(False, "a bad field is a fault")
    except Exception as fault:  # zeep.exceptions.Fault
        check("INVALID_FIELD" in str(fault), "a bad field is a fault")


if __name__ == "__main__":
    main()
