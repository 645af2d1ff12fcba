/* shapes.h - the tables that drive awsxml.c: for each operation kensa calls,
 * the output shape of botocore's service-2.json model written out as C data
 * (shapes.c). Private to providers/aws; callers use awsxml.h.
 *
 * A node is one botocore shape reduced to what decoding needs: its kind, and
 * for a structure its members with their wire names, for a list its item and
 * whether it is flattened, for a map its key/value element names.
 */
#ifndef KENSA_AWS_SHAPES_H
#define KENSA_AWS_SHAPES_H

#include <stddef.h>

#include "awsxml.h"

typedef enum ks_awsxml_kind {
    KS_AXK_STRING,
    KS_AXK_INTEGER, /* integer and long (no float or double is in any table yet) */
    KS_AXK_BOOLEAN,
    KS_AXK_TIMESTAMP,
    KS_AXK_BLOB,   /* base64 text, kept as text */
    KS_AXK_POLICY, /* IAM policyDocumentType: URL-encoded JSON, decoded */
    KS_AXK_STRUCTURE,
    KS_AXK_LIST,
    KS_AXK_MAP,
} ks_awsxml_kind;

typedef struct ks_awsxml_node ks_awsxml_node;

typedef struct ks_awsxml_member {
    const char *name; /* JSON member name (botocore's) */
    const char *xml;  /* name on the wire when it differs from name, else NULL
                       * (EC2: NULL is name with a lower-case first letter); for a
                       * flattened list the name each item repeats under; "@xsi:type"
                       * is an attribute of the structure's own element */
    const ks_awsxml_node *node;
} ks_awsxml_member;

struct ks_awsxml_node {
    ks_awsxml_kind kind;
    const ks_awsxml_member *members; /* structure */
    size_t n_members;
    const ks_awsxml_node *item; /* list: each item; map: each value */
    int flattened;              /* list: items repeat in the parent, no wrapper element */
    const char *key_xml;        /* map: element names inside each <entry> */
    const char *value_xml;
};

typedef enum ks_awsxml_protocol {
    KS_AXP_EC2,      /* <OpResponse> holds the members; requestId beside them */
    KS_AXP_QUERY,    /* <OpResponse><OpResult> holds them; ResponseMetadata beside */
    KS_AXP_REST_XML, /* the root holds them, or is the payload member itself */
} ks_awsxml_protocol;

struct ks_awsxml_shape {
    const char *name;      /* "ec2:DescribeInstances" */
    const char *service;   /* "ec2" */
    const char *operation; /* "DescribeInstances" */
    ks_awsxml_protocol protocol;
    const ks_awsxml_node *output; /* the output structure (query: inside <OperationResult>) */
    const char *payload;          /* rest-xml: the output member the body's root element is */
    const char *token_out;        /* output member with the next page's token */
    const char *token_in;         /* request parameter that sends it back */
    const char *more_results;     /* boolean output member that must be true (IsTruncated) */
};

extern const ks_awsxml_shape ks_awsxml_ops[];
extern const size_t ks_awsxml_n_ops;

#endif
