"""lint.py - check hand-written fixture bodies against botocore's output shapes.

botocore's parsers skip elements they do not know, so a misspelt element
(<groupID> for <groupId>, <member> where EC2 wants <item>) would parse "fine"
and quietly drop data. The linter walks each body alongside the operation's
output shape the way botocore's parsers do and reports every element or key the
model does not name. Members newer than the installed botocore can be allowed
per scenario with manifest.json's "lint_ignore" (fnmatch patterns on
"service Operation path").
"""

import json
import xml.etree.ElementTree as ET


def _local(tag):
    return tag.split("}", 1)[-1]


def _xml_member_name(name, member):
    if member.type_name == "list" and member.serialization.get("flattened"):
        inner = member.member.serialization.get("name")
        if inner:
            return inner
    return member.serialization.get("name", name)


def _walk_xml(node, shape, path, out):
    if shape is None:
        return
    t = shape.type_name
    if t == "structure":
        names = {}
        flat = {}
        for name, member in shape.members.items():
            if member.serialization.get("location") in ("header", "headers", "statusCode"):
                continue
            key = _xml_member_name(name, member)
            names[key] = member
            if member.type_name == "list" and member.serialization.get("flattened"):
                flat[key] = member
        for child in node:
            tag = _local(child.tag)
            member = names.get(tag)
            if member is None:
                if tag not in ("requestId", "ResponseMetadata"):
                    out.append(f"{path}.{tag}")
                continue
            if tag in flat:
                _walk_xml(child, member.member, f"{path}.{tag}", out)
            else:
                _walk_xml(child, member, f"{path}.{tag}", out)
    elif t == "list":
        want = shape.member.serialization.get("name", "member")
        for child in node:
            tag = _local(child.tag)
            if tag != want:
                out.append(f"{path}.{tag} (list items are <{want}>)")
                continue
            _walk_xml(child, shape.member, f"{path}[]", out)
    elif t == "map":
        kname = shape.key.serialization.get("name", "key")
        vname = shape.value.serialization.get("name", "value")
        entries = list(node) if not shape.serialization.get("flattened") else [node]
        for entry in entries:
            for child in entry:
                tag = _local(child.tag)
                if tag == vname:
                    _walk_xml(child, shape.value, f"{path}{{}}", out)
                elif tag != kname:
                    out.append(f"{path}.{tag} (map entries hold <{kname}> and <{vname}>)")
    elif len(node):
        out.append(f"{path} (a {t} has no child elements)")


def _walk_json(value, shape, path, out, rest):
    if shape is None or value is None:
        return
    t = shape.type_name
    if t == "structure" and isinstance(value, dict):
        names = {}
        for name, member in shape.members.items():
            if member.serialization.get("location") in ("header", "headers", "statusCode"):
                continue
            names[member.serialization.get("name", name) if rest else name] = member
        for k, v in value.items():
            if k not in names:
                out.append(f"{path}.{k}")
            else:
                _walk_json(v, names[k], f"{path}.{k}", out, rest)
    elif t == "list" and isinstance(value, list):
        for v in value:
            _walk_json(v, shape.member, f"{path}[]", out, rest)
    elif t == "map" and isinstance(value, dict):
        for v in value.values():
            _walk_json(v, shape.value, f"{path}{{}}", out, rest)


def check_body(svc, op, data, ext):
    """Element/key paths in a fixture body that op's output shape does not name."""
    shape = svc.output_shape(op)
    out = []
    if shape is None or not data:
        return out
    if ext == "json":
        if svc.protocol in ("json", "rest-json"):
            _walk_json(json.loads(data.decode("utf-8")), shape, op, out,
                       svc.protocol == "rest-json")
        return out  # a JSON body of an XML service is a payload blob (S3 bucket policy)
    root = ET.fromstring(data)
    if svc.protocol == "query":
        wrapper = shape.serialization.get("resultWrapper", op + "Result")
        for child in root:
            tag = _local(child.tag)
            if tag == wrapper:
                _walk_xml(child, shape, op, out)
            elif tag != "ResponseMetadata":
                out.append(f"{op}Response.{tag}")
        return out
    if svc.protocol == "ec2":
        _walk_xml(root, shape, op, out)
        return out
    payload = shape.serialization.get("payload")
    if payload:
        member = shape.members[payload]
        if member.type_name == "structure":
            _walk_xml(root, member, f"{op}.{payload}", out)
        return out
    _walk_xml(root, shape, op, out)
    return out
