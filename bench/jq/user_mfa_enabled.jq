# aws.iam.user_mfa_enabled: console users have an MFA device
select(.type == "aws.iam.user" and .attrs.LoginProfile != null)
| select((.attrs.MFADevices // []) | length == 0)
| .id
