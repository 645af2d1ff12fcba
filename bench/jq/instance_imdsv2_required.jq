# aws.ec2.instance_imdsv2_required: running instances must require IMDSv2 tokens
select(.type == "aws.ec2.instance" and .attrs.State.Name != "terminated")
| select(.attrs.MetadataOptions.HttpTokens != "required" and .attrs.MetadataOptions.HttpEndpoint != "disabled")
| .id
