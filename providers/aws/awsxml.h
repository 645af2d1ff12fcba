/* awsxml.h - AWS XML responses (query, EC2 and rest-xml protocols) decoded into
 * the JSON shape botocore gives: the shape the AWS API reference documents and
 * docs/snapshot.md stores.
 *
 * XML alone cannot say whether <groupSet><item/></groupSet> is a list or an
 * object, nor whether "80" is a number, so decoding is driven by one table per
 * operation (shapes.c, written from botocore's service-2.json models). The
 * output follows botocore's parsed output without ResponseMetadata:
 *   - lists are arrays, even with one element or none; structures and maps are
 *     objects; integers and longs are numbers; booleans are true/false;
 *   - timestamps are RFC 3339 UTC strings, "2026-10-01T12:00:00Z", with the
 *     fractional seconds AWS sent when they are not zero (".412Z", at most six
 *     digits, trailing zeros dropped), whatever zone or format AWS used;
 *   - blobs (GetCredentialReport's Content) stay base64 text (checked, with
 *     whitespace removed);
 *   - IAM policy documents (policyDocumentType: PolicyDocument,
 *     AssumeRolePolicyDocument, Document) are URL-decoded and parsed into JSON,
 *     as botocore does; a document that is not a JSON object stays the string
 *     AWS sent;
 *   - elements the table does not know are dropped, as botocore drops them; a
 *     member sent twice keeps its first value.
 * Where botocore guesses, decoding fails instead: a boolean other than
 * true/false, an integer or timestamp that does not parse, bad base64, a map
 * entry without its key or value (docs/aws-xml.md lists them).
 *
 * Untrusted input is bounded: no DOCTYPE (so no entity of any kind is
 * expanded), nesting at most KS_AWSXML_MAX_DEPTH, bodies at most
 * KS_AWSXML_MAX_BODY bytes. Nothing here keeps state between calls; every
 * function may be called from any thread.
 */
#ifndef KENSA_AWSXML_H
#define KENSA_AWSXML_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "kensa/error.h"

#define KS_AWSXML_MAX_DEPTH 64
#define KS_AWSXML_MAX_BODY ((size_t)256 << 20)

/* One operation's decoding table; static data, never freed. */
typedef struct ks_awsxml_shape ks_awsxml_shape;

/* The table for service ("ec2", "iam", "sts", "rds", "s3", "s3control") and
 * operation ("DescribeInstances"), or NULL when kensa has none. */
const ks_awsxml_shape *ks_awsxml_shape_for(const char *service, const char *operation);

/* "ec2:DescribeInstances": the name errors and logs use (static string). */
const char *ks_awsxml_shape_name(const ks_awsxml_shape *shape);

/* Decode a successful response body into its output object. On success *out is
 * a new object the caller owns (cJSON_Delete, or ks_awsxml_delete_wiped when it
 * may hold credentials, as sts:AssumeRole's does). On failure *out is NULL and
 * err names the operation and the line and column: malformed XML, a DOCTYPE,
 * nesting too deep, a value that is not of its type ("launchTime: invalid
 * timestamp"), a missing query result element, or a body that is an AWS error
 * document (KS_ERR_INVALID, with its code and message). */
int ks_awsxml_decode(cJSON **out, const ks_awsxml_shape *shape, const char *xml, size_t len,
                     ks_error *err);

/* The token to send for the next page of a decoded page, or NULL when this was
 * the last page (or the operation does not paginate). EC2: NextToken; IAM:
 * Marker while IsTruncated is true; RDS: Marker; S3 ListBuckets:
 * ContinuationToken. An empty token counts as none. The string belongs to page. */
const char *ks_awsxml_next_token(const ks_awsxml_shape *shape, const cJSON *page);

/* The request parameter that carries that token ("NextToken", "Marker",
 * "ContinuationToken"), or NULL when the operation does not paginate. */
const char *ks_awsxml_token_param(const ks_awsxml_shape *shape);

/* An AWS error body: the query protocol's <ErrorResponse><Error>, EC2's
 * <Response><Errors><Error>, S3's <Error> (and S3 Control's <ErrorResponse>).
 * Returns 0 and copies the code and message (truncated to fit, always
 * NUL-terminated; message cut at its first line break, because AWS's
 * SignatureDoesNotMatch goes on with the canonical request, which can hold a
 * session token); KS_ERR_NOTFOUND when the XML is well-formed but no error
 * document; KS_ERR_PARSE when it is not XML. code or message may be NULL. */
int ks_awsxml_error(const char *xml, size_t len, char *code, size_t code_sz, char *message,
                    size_t msg_sz);

/* The same as an object {"Code", "Message", "RequestId"} (members AWS did not
 * send are absent); for recordings and `errors` entries. Caller owns *out. */
int ks_awsxml_error_json(cJSON **out, const char *xml, size_t len, ks_error *err);

/* Overwrite every string in tree with zeros, then cJSON_Delete it: for outputs
 * that carry secrets (sts:AssumeRole's Credentials). NULL is a no-op. */
void ks_awsxml_delete_wiped(cJSON *tree);

#endif
