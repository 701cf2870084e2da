//! The WSDL layer: messages, portType, binding and service.

use std::collections::{HashMap, HashSet};

use roxmltree::Node;

use super::ctx::{
    self, child, describe, elements, local_in, Ctx, SOAP12_NS, SOAP_HTTP, SOAP_NS, WSDL_NS,
};
use crate::model::{HeaderPart, Operation, QName, Service};
use crate::Result;

/// One `<part>` of a message.
struct Part {
    name: String,
    /// `element=`; `None` for a `type=` part (rpc style), which the model cannot hold.
    element: Option<QName>,
}

/// One `<message>`.
struct Message<'a, 'input> {
    node: Node<'a, 'input>,
    name: String,
    parts: Vec<Part>,
}

struct DefsReader<'c, 'a, 'input> {
    ctx: &'c mut Ctx<'a>,
    messages: Vec<Message<'a, 'input>>,
    message_index: HashMap<QName, usize>,
    /// `(message index, part name)` of every part a `soap:header` refers to.
    header_refs: HashSet<(usize, String)>,
    /// Namespace of the SOAP extension elements of the chosen binding.
    soap_ns: &'static str,
}

/// Reads messages, portType, binding and service of `definitions` into `service`
/// (whose `elements` must already be filled).
pub(super) fn read<'a, 'input>(
    ctx: &mut Ctx<'a>,
    definitions: Node<'a, 'input>,
    service: &mut Service,
) -> Result<()> {
    let tns = service.target_namespace.clone();
    let mut reader = DefsReader {
        ctx,
        messages: Vec::new(),
        message_index: HashMap::new(),
        header_refs: HashSet::new(),
        soap_ns: SOAP_NS,
    };
    let mut port_types: Vec<Node<'a, 'input>> = Vec::new();
    let mut port_type_index: HashMap<QName, Node<'a, 'input>> = HashMap::new();
    let mut bindings: Vec<Node<'a, 'input>> = Vec::new();
    let mut binding_index: HashMap<QName, Node<'a, 'input>> = HashMap::new();
    let mut services: Vec<Node<'a, 'input>> = Vec::new();

    for node in elements(definitions) {
        match local_in(node, WSDL_NS) {
            Some("types" | "documentation") => {}
            Some("message") => reader.message(node, &tns, service)?,
            Some(kind @ ("portType" | "binding")) => {
                let name = reader.ctx.required(node, "name", kind)?;
                let q = QName::new(tns.as_str(), name);
                let (list, index) = if kind == "portType" {
                    (&mut port_types, &mut port_type_index)
                } else {
                    (&mut bindings, &mut binding_index)
                };
                if let Some(first) = index.get(&q) {
                    let (line, _) = reader.ctx.position(*first);
                    return Err(reader.ctx.invalid(
                        node,
                        format!("{kind} \"{name}\" is already defined on line {line}"),
                    ));
                }
                index.insert(q, node);
                list.push(node);
            }
            Some("service") => services.push(node),
            _ => reader.ctx.warn(
                node,
                format!(
                    "{} in <definitions> is not supported; skipped",
                    describe(node)
                ),
            ),
        }
    }

    // The binding: the one the service's port refers to (preferring SOAP 1.1 over HTTP),
    // else the first SOAP 1.1 binding, else the first binding.
    let mut chosen_port = None;
    let mut chosen_binding = None;
    if let Some(&svc) = services.first() {
        service.name = svc.attribute("name").unwrap_or_default().to_owned();
        service.documentation = ctx::wsdl_documentation(svc);
        for extra in services.iter().skip(1) {
            reader.ctx.warn(
                *extra,
                format!(
                    "{}: only the first <service> is read; skipped",
                    describe(*extra)
                ),
            );
        }
        let mut ports = Vec::new();
        for port in elements(svc).filter(|n| ctx::is(*n, WSDL_NS, "port")) {
            let what = format!(
                "port \"{}\" of service \"{}\"",
                port.attribute("name").unwrap_or_default(),
                service.name
            );
            let raw = reader.ctx.required(port, "binding", &what)?;
            let q = reader.ctx.qname(port, raw, &what)?;
            let Some(&binding) = binding_index.get(&q) else {
                return Err(reader
                    .ctx
                    .invalid(port, format!("{what}: binding \"{raw}\" is not defined")));
            };
            ports.push((port, binding));
        }
        if let Some(&(port, binding)) = ports
            .iter()
            .find(|(_, b)| is_soap_http(*b))
            .or_else(|| ports.first())
        {
            chosen_port = Some(port);
            chosen_binding = Some(binding);
        }
    }
    if chosen_binding.is_none() {
        chosen_binding = bindings
            .iter()
            .copied()
            .find(|b| is_soap_http(*b))
            .or_else(|| bindings.first().copied());
    }

    if let Some(port) = chosen_port {
        service.address = elements(port)
            .find(|n| ctx::is(*n, SOAP_NS, "address") || ctx::is(*n, SOAP12_NS, "address"))
            .and_then(|n| n.attribute("location"))
            .map(str::to_owned);
        service.api_version = service.address.as_deref().and_then(api_version);
    }

    let port_type = match chosen_binding {
        Some(binding) => {
            reader.check_binding(binding);
            let what = format!(
                "binding \"{}\"",
                binding.attribute("name").unwrap_or_default()
            );
            let raw = reader.ctx.required(binding, "type", &what)?;
            let q = reader.ctx.qname(binding, raw, &what)?;
            match port_type_index.get(&q) {
                Some(&pt) => Some(pt),
                None => {
                    return Err(reader.ctx.invalid(
                        binding,
                        format!("{what}: portType \"{raw}\" is not defined"),
                    ))
                }
            }
        }
        None => {
            if let Some(&pt) = port_types.first() {
                reader.ctx.warn(
                    pt,
                    "no <binding>: soapAction and SOAP headers of the operations are unknown",
                );
            }
            port_types.first().copied()
        }
    };

    if let Some(port_type) = port_type {
        reader.operations(port_type, chosen_binding, service)?;
    }
    reader.headers(service);
    Ok(())
}

/// True when `binding` is a SOAP 1.1 binding over HTTP.
fn is_soap_http(binding: Node<'_, '_>) -> bool {
    child(binding, SOAP_NS, "binding")
        .and_then(|b| b.attribute("transport"))
        .is_some_and(|t| t.trim() == SOAP_HTTP)
}

/// The API version in an endpoint address: the last path segment that looks like `NN.N`.
fn api_version(address: &str) -> Option<String> {
    let rest = address.split_once("://").map_or(address, |(_, rest)| rest);
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.split('/')
        .rev()
        .find(|segment| {
            segment.split_once('.').is_some_and(|(major, minor)| {
                !major.is_empty()
                    && !minor.is_empty()
                    && major.bytes().all(|b| b.is_ascii_digit())
                    && minor.bytes().all(|b| b.is_ascii_digit())
            })
        })
        .map(str::to_owned)
}

impl<'a, 'input> DefsReader<'_, 'a, 'input> {
    /// Reads one `<message>`, checking that its parts' elements exist.
    fn message(&mut self, node: Node<'a, 'input>, tns: &str, service: &Service) -> Result<()> {
        let name = self.ctx.required(node, "name", "message")?;
        let q = QName::new(tns, name);
        if let Some(&first) = self.message_index.get(&q) {
            let (line, _) = self.ctx.position(self.messages[first].node);
            return Err(self.ctx.invalid(
                node,
                format!("message \"{name}\" is already defined on line {line}"),
            ));
        }
        let mut parts = Vec::new();
        for part in elements(node) {
            if !ctx::is(part, WSDL_NS, "part") {
                if !ctx::is(part, WSDL_NS, "documentation") {
                    self.ctx.warn(
                        part,
                        format!(
                            "{} in message \"{name}\" is not supported; skipped",
                            describe(part)
                        ),
                    );
                }
                continue;
            }
            let part_name =
                self.ctx
                    .required(part, "name", &format!("part of message \"{name}\""))?;
            let what = format!("part \"{part_name}\" of message \"{name}\"");
            let element = if let Some(raw) = part.attribute("element") {
                let element = self.ctx.qname(part, raw, &what)?;
                if !service.elements.contains_key(&element) {
                    return Err(self
                        .ctx
                        .invalid(part, format!("{what}: element \"{raw}\" is not defined")));
                }
                Some(element)
            } else {
                self.ctx.warn(
                    part,
                    format!(
                        "{what} has no \"element\" attribute (rpc style is not supported); skipped"
                    ),
                );
                None
            };
            parts.push(Part {
                name: part_name.to_owned(),
                element,
            });
        }
        self.message_index.insert(q, self.messages.len());
        self.messages.push(Message {
            node,
            name: name.to_owned(),
            parts,
        });
        Ok(())
    }

    /// Warns about bindings the model does not describe well, and picks the SOAP namespace.
    fn check_binding(&mut self, binding: Node<'a, 'input>) {
        let soap = if let Some(soap) = child(binding, SOAP_NS, "binding") {
            soap
        } else if let Some(soap12) = child(binding, SOAP12_NS, "binding") {
            self.soap_ns = SOAP12_NS;
            self.ctx.warn(
                soap12,
                "the binding is a SOAP 1.2 binding; it is read as if it were SOAP 1.1",
            );
            soap12
        } else {
            self.ctx.warn(
                binding,
                "the binding is not a SOAP binding; soapAction and SOAP headers are unknown",
            );
            return;
        };
        if soap.attribute("style") == Some("rpc") {
            self.ctx.warn(
                soap,
                "rpc-style bindings are not supported; operations are read as document/literal",
            );
        }
        if !is_soap_http(binding) && self.soap_ns == SOAP_NS {
            self.ctx
                .warn(soap, "the binding's transport is not SOAP over HTTP");
        }
    }

    /// The message a WSDL `<input>`, `<output>` or `<fault>` refers to.
    fn message_ref(&self, node: Node<'a, 'input>, what: &str) -> Result<usize> {
        let raw = self.ctx.required(node, "message", what)?;
        let q = self.ctx.qname(node, raw, what)?;
        self.message_index.get(&q).copied().ok_or_else(|| {
            self.ctx
                .invalid(node, format!("{what}: message \"{raw}\" is not defined"))
        })
    }

    /// Reads the operations of `port_type` in order, merged with `binding`.
    fn operations(
        &mut self,
        port_type: Node<'a, 'input>,
        binding: Option<Node<'a, 'input>>,
        service: &mut Service,
    ) -> Result<()> {
        let mut binding_ops: HashMap<&str, Node<'a, 'input>> = HashMap::new();
        if let Some(binding) = binding {
            for op in elements(binding).filter(|n| ctx::is(*n, WSDL_NS, "operation")) {
                let name = self.ctx.required(op, "name", "binding operation")?;
                binding_ops.entry(name).or_insert(op);
            }
        }
        let port_type_name = port_type.attribute("name").unwrap_or_default();
        let mut seen = HashSet::new();
        for op in elements(port_type) {
            if !ctx::is(op, WSDL_NS, "operation") {
                if !ctx::is(op, WSDL_NS, "documentation") {
                    self.ctx.warn(
                        op,
                        format!(
                            "{} in portType \"{port_type_name}\" is not supported; skipped",
                            describe(op)
                        ),
                    );
                }
                continue;
            }
            let name = self.ctx.required(
                op,
                "name",
                &format!("operation of portType \"{port_type_name}\""),
            )?;
            seen.insert(name);
            let binding_op = binding_ops.get(name).copied();
            if binding.is_some() && binding_op.is_none() {
                self.ctx.warn(
                    op,
                    format!("operation \"{name}\" is not in the binding; soapAction and headers are unknown"),
                );
            }
            if let Some(operation) = self.operation(op, name, binding_op)? {
                service.operations.push(operation);
            }
        }
        if let Some(binding) = binding {
            for op in elements(binding).filter(|n| ctx::is(*n, WSDL_NS, "operation")) {
                let name = op.attribute("name").unwrap_or_default();
                if !seen.contains(name) {
                    self.ctx.warn(
                        op,
                        format!("binding operation \"{name}\" is not in portType \"{port_type_name}\"; skipped"),
                    );
                }
            }
        }
        Ok(())
    }

    /// Reads one portType operation; `None` (with a warning) when the model cannot hold it.
    fn operation(
        &mut self,
        op: Node<'a, 'input>,
        name: &str,
        binding_op: Option<Node<'a, 'input>>,
    ) -> Result<Option<Operation>> {
        let what = format!("operation \"{name}\"");
        let Some(input) = child(op, WSDL_NS, "input") else {
            self.ctx.warn(
                op,
                format!(
                    "{what} has no <input> (notification operations are not supported); skipped"
                ),
            );
            return Ok(None);
        };
        let input_msg = self.message_ref(input, &format!("input of {what}"))?;
        let output_msg = match child(op, WSDL_NS, "output") {
            Some(output) => Some(self.message_ref(output, &format!("output of {what}"))?),
            None => None,
        };

        let mut soap_action = String::new();
        let mut binding_input = None;
        let mut binding_output = None;
        if let Some(bop) = binding_op {
            if let Some(soap_op) = child(bop, self.soap_ns, "operation") {
                soap_action = soap_op
                    .attribute("soapAction")
                    .unwrap_or_default()
                    .to_owned();
            }
            binding_input = child(bop, WSDL_NS, "input");
            binding_output = child(bop, WSDL_NS, "output");
        }
        let input_headers =
            self.soap_headers(binding_input, &format!("binding input of {what}"))?;
        let output_headers =
            self.soap_headers(binding_output, &format!("binding output of {what}"))?;

        let Some(input_element) =
            self.body_element(input_msg, binding_input, &format!("input of {what}"))?
        else {
            self.ctx.warn(
                input,
                format!("{what}: the input message has no element part; skipped"),
            );
            return Ok(None);
        };
        let output = match output_msg {
            Some(msg) => {
                let element =
                    self.body_element(msg, binding_output, &format!("output of {what}"))?;
                if element.is_none() {
                    self.ctx.warn(
                        op,
                        format!("{what}: the output message has no element part; read as one-way"),
                    );
                }
                element
            }
            None => None,
        };

        let mut faults = Vec::new();
        for fault in elements(op).filter(|n| ctx::is(*n, WSDL_NS, "fault")) {
            let fault_what = format!(
                "fault \"{}\" of {what}",
                fault.attribute("name").unwrap_or_default()
            );
            let msg = self.message_ref(fault, &fault_what)?;
            match self.messages[msg]
                .parts
                .iter()
                .find_map(|p| p.element.clone())
            {
                Some(element) => faults.push(element),
                None => self.ctx.warn(
                    fault,
                    format!(
                        "{fault_what}: message \"{}\" has no element part; skipped",
                        self.messages[msg].name
                    ),
                ),
            }
        }

        Ok(Some(Operation {
            name: name.to_owned(),
            documentation: ctx::wsdl_documentation(op),
            soap_action,
            input: input_element,
            output,
            input_headers,
            output_headers,
            faults,
        }))
    }

    /// The header elements of a binding `<input>` or `<output>`, recording the parts used.
    fn soap_headers(&mut self, io: Option<Node<'a, 'input>>, what: &str) -> Result<Vec<QName>> {
        let mut out = Vec::new();
        let Some(io) = io else {
            return Ok(out);
        };
        for header in elements(io).filter(|n| ctx::is(*n, self.soap_ns, "header")) {
            let header_what = format!("<{}> in {what}", ctx::tag(header));
            let msg = self.message_ref(header, &header_what)?;
            let part_name = self.ctx.required(header, "part", &header_what)?;
            let Some(part) = self.messages[msg]
                .parts
                .iter()
                .find(|p| p.name == part_name)
            else {
                return Err(self.ctx.invalid(
                    header,
                    format!(
                        "{header_what}: part \"{part_name}\" is not in message \"{}\"",
                        self.messages[msg].name
                    ),
                ));
            };
            match &part.element {
                Some(element) => {
                    out.push(element.clone());
                    self.header_refs.insert((msg, part_name.to_owned()));
                }
                None => self.ctx.warn(
                    header,
                    format!("{header_what}: part \"{part_name}\" has no element; skipped"),
                ),
            }
        }
        Ok(out)
    }

    /// The body element of message `msg` as used by a binding `<input>`/`<output>`:
    /// the part named by `soap:body parts`, else the one part not used as a header.
    fn body_element(
        &mut self,
        msg: usize,
        io: Option<Node<'a, 'input>>,
        what: &str,
    ) -> Result<Option<QName>> {
        let body = io.and_then(|io| child(io, self.soap_ns, "body"));
        if let Some((body, listed)) = body.and_then(|b| b.attribute("parts").map(|p| (b, p))) {
            let mut names = listed.split_whitespace();
            let Some(first) = names.next() else {
                return Ok(None);
            };
            if names.next().is_some() {
                self.ctx.warn(
                    body,
                    format!("{what}: a body of several parts is not supported; only \"{first}\" is read"),
                );
            }
            return match self.messages[msg].parts.iter().find(|p| p.name == first) {
                Some(part) => Ok(part.element.clone()),
                None => Err(self.ctx.invalid(
                    body,
                    format!(
                        "{what}: soap:body part \"{first}\" is not in message \"{}\"",
                        self.messages[msg].name
                    ),
                )),
            };
        }
        let header_parts: HashSet<&str> = io
            .into_iter()
            .flat_map(|io| elements(io).filter(|n| ctx::is(*n, self.soap_ns, "header")))
            .filter(|h| {
                h.attribute("message").and_then(|raw| {
                    self.ctx
                        .qname(*h, raw, what)
                        .ok()
                        .and_then(|q| self.message_index.get(&q).copied())
                }) == Some(msg)
            })
            .filter_map(|h| h.attribute("part"))
            .collect();
        let message = &self.messages[msg];
        let candidates: Vec<&Part> = message
            .parts
            .iter()
            .filter(|p| !header_parts.contains(p.name.as_str()))
            .collect();
        if candidates.len() > 1 {
            self.ctx.warn(
                message.node,
                format!(
                    "{what}: message \"{}\" has several body parts; only the first is read",
                    message.name
                ),
            );
        }
        Ok(candidates.first().and_then(|p| p.element.clone()))
    }

    /// Fills `Service::headers`: every part a `soap:header` refers to, in document order,
    /// deduplicated by element.
    fn headers(&self, service: &mut Service) {
        let mut seen = HashSet::new();
        for (i, message) in self.messages.iter().enumerate() {
            for part in &message.parts {
                let Some(element) = &part.element else {
                    continue;
                };
                if self.header_refs.contains(&(i, part.name.clone())) && seen.insert(element) {
                    service.headers.push(HeaderPart {
                        part: part.name.clone(),
                        element: element.clone(),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::api_version;

    #[test]
    fn api_version_from_address() {
        assert_eq!(
            api_version("http://localhost:8080/services/Soap/u/66.0").as_deref(),
            Some("66.0")
        );
        assert_eq!(
            api_version("https://test.salesforce.com/services/Soap/c/23.0/0DFD00000000l3g")
                .as_deref(),
            Some("23.0")
        );
        assert_eq!(
            api_version("https://x.example/services/Soap/m/66.0?x=1").as_deref(),
            Some("66.0")
        );
        assert_eq!(api_version("http://host.example/services"), None);
        assert_eq!(api_version("http://1.2.example"), None);
        assert_eq!(api_version(""), None);
    }
}
