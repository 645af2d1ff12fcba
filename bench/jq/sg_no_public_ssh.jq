# aws.ec2.sg_no_public_ssh: security groups with tcp/22 (or all traffic) open to 0.0.0.0/0 or ::/0
select(.type == "aws.ec2.security_group")
| select(any(.attrs.IpPermissions[]?;
    (.IpProtocol == "-1" or ((.IpProtocol == "tcp" or .IpProtocol == "6") and ((.FromPort // 0) <= 22) and ((.ToPort // 65535) >= 22)))
    and (any(.IpRanges[]?; .CidrIp == "0.0.0.0/0") or any(.Ipv6Ranges[]?; .CidrIpv6 == "::/0"))))
| .id
