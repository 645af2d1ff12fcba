# aws.iam.access_key_rotated: no active key older than 90 days (evaluation time 2026-11-01)
select(.type == "aws.iam.user")
| select(any(.attrs.AccessKeys[]?; .Status == "Active"
    and ((1793491200 - (.CreateDate | sub("\\.[0-9]+"; "") | fromdateiso8601)) / 86400 > 90)))
| .id
