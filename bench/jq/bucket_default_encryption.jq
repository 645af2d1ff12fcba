# aws.s3.bucket_default_encryption: a default encryption rule with an allowed algorithm
select(.type == "aws.s3.bucket")
| select(any(.attrs.ServerSideEncryptionConfiguration.Rules[]?;
    .ApplyServerSideEncryptionByDefault.SSEAlgorithm as $a | ["AES256", "aws:kms", "aws:kms:dsse"] | index($a)) | not)
| .id
