# aws.s3.bucket_public_access_blocked: all four block settings true
select(.type == "aws.s3.bucket")
| select((.attrs.PublicAccessBlockConfiguration // {}) as $p
    | ($p.BlockPublicAcls and $p.IgnorePublicAcls and $p.BlockPublicPolicy and $p.RestrictPublicBuckets) | not)
| .id
