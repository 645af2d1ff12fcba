/* shapes.c - the decoding tables: for each operation the AWS adapter calls, its
 * output shape from botocore's service-2.json, as C data (see shapes.h).
 *
 * Written from the models in Debian's python3-botocore 1.29.27 (the version the
 * oracle test, tests/aws/xml_oracle.py, parses with), plus members that
 * current AWS responses carry and newer models have: ListBuckets'
 * ContinuationToken and Prefix, Bucket.BucketRegion, DescribeImages'
 * NextToken. The oracle adds the same members to its model.
 *
 * Reading a row: {JSON name, wire name, shape}. A NULL wire name
 * means the JSON name itself, except for EC2, whose wire names are the JSON name
 * with its first letter in lower case ("InstanceId" is <instanceId>); any other
 * wire name is written out ("PublicIpAddress" is <ipAddress>). Shapes are
 * defined before use and named service_BotocoreShapeName; a list is named
 * after its item (_list wrapped, _flat flattened). Members bound to HTTP
 * headers or the status code are not here: the body never holds them.
 */
#include "shapes.h"

/* clang-format off */
#define STRUCT(m) {.kind = KS_AXK_STRUCTURE, .members = (m), .n_members = sizeof(m) / sizeof((m)[0])}
#define LIST(it) {.kind = KS_AXK_LIST, .item = &(it)}
#define FLAT_LIST(it) {.kind = KS_AXK_LIST, .item = &(it), .flattened = 1}
#define MAP(val, k, v) {.kind = KS_AXK_MAP, .item = &(val), .key_xml = (k), .value_xml = (v)}
#define OP(svc, op, proto, out) \
    .name = svc ":" op, .service = svc, .operation = op, .protocol = proto, .output = &out
/* clang-format on */

static const ks_awsxml_node ax_string = {.kind = KS_AXK_STRING};
static const ks_awsxml_node ax_integer = {.kind = KS_AXK_INTEGER};
static const ks_awsxml_node ax_boolean = {.kind = KS_AXK_BOOLEAN};
static const ks_awsxml_node ax_timestamp = {.kind = KS_AXK_TIMESTAMP};
static const ks_awsxml_node ax_blob = {.kind = KS_AXK_BLOB};
static const ks_awsxml_node ax_policy = {.kind = KS_AXK_POLICY};

/* ---- ec2 (ec2) ---- */

static const ks_awsxml_member ec2_Region_m[] = {
    {"Endpoint", "regionEndpoint", &ax_string},
    {"RegionName", NULL, &ax_string},
    {"OptInStatus", NULL, &ax_string},
};
static const ks_awsxml_node ec2_Region = STRUCT(ec2_Region_m);
static const ks_awsxml_node ec2_Region_list = LIST(ec2_Region);
static const ks_awsxml_member ec2_DescribeRegionsResult_m[] = {
    {"Regions", "regionInfo", &ec2_Region_list},
};
static const ks_awsxml_node ec2_DescribeRegionsResult = STRUCT(ec2_DescribeRegionsResult_m);
static const ks_awsxml_member ec2_IpRange_m[] = {
    {"CidrIp", NULL, &ax_string},
    {"Description", NULL, &ax_string},
};
static const ks_awsxml_node ec2_IpRange = STRUCT(ec2_IpRange_m);
static const ks_awsxml_node ec2_IpRange_list = LIST(ec2_IpRange);
static const ks_awsxml_member ec2_Ipv6Range_m[] = {
    {"CidrIpv6", NULL, &ax_string},
    {"Description", NULL, &ax_string},
};
static const ks_awsxml_node ec2_Ipv6Range = STRUCT(ec2_Ipv6Range_m);
static const ks_awsxml_node ec2_Ipv6Range_list = LIST(ec2_Ipv6Range);
static const ks_awsxml_member ec2_PrefixListId_m[] = {
    {"Description", NULL, &ax_string},
    {"PrefixListId", NULL, &ax_string},
};
static const ks_awsxml_node ec2_PrefixListId = STRUCT(ec2_PrefixListId_m);
static const ks_awsxml_node ec2_PrefixListId_list = LIST(ec2_PrefixListId);
static const ks_awsxml_member ec2_UserIdGroupPair_m[] = {
    {"Description", NULL, &ax_string},
    {"GroupId", NULL, &ax_string},
    {"GroupName", NULL, &ax_string},
    {"PeeringStatus", NULL, &ax_string},
    {"UserId", NULL, &ax_string},
    {"VpcId", NULL, &ax_string},
    {"VpcPeeringConnectionId", NULL, &ax_string},
};
static const ks_awsxml_node ec2_UserIdGroupPair = STRUCT(ec2_UserIdGroupPair_m);
static const ks_awsxml_node ec2_UserIdGroupPair_list = LIST(ec2_UserIdGroupPair);
static const ks_awsxml_member ec2_IpPermission_m[] = {
    {"FromPort", NULL, &ax_integer},
    {"IpProtocol", NULL, &ax_string},
    {"IpRanges", NULL, &ec2_IpRange_list},
    {"Ipv6Ranges", NULL, &ec2_Ipv6Range_list},
    {"PrefixListIds", NULL, &ec2_PrefixListId_list},
    {"ToPort", NULL, &ax_integer},
    {"UserIdGroupPairs", "groups", &ec2_UserIdGroupPair_list},
};
static const ks_awsxml_node ec2_IpPermission = STRUCT(ec2_IpPermission_m);
static const ks_awsxml_node ec2_IpPermission_list = LIST(ec2_IpPermission);
static const ks_awsxml_member ec2_Tag_m[] = {
    {"Key", NULL, &ax_string},
    {"Value", NULL, &ax_string},
};
static const ks_awsxml_node ec2_Tag = STRUCT(ec2_Tag_m);
static const ks_awsxml_node ec2_Tag_list = LIST(ec2_Tag);
static const ks_awsxml_member ec2_SecurityGroup_m[] = {
    {"Description", "groupDescription", &ax_string},
    {"GroupName", NULL, &ax_string},
    {"IpPermissions", NULL, &ec2_IpPermission_list},
    {"OwnerId", NULL, &ax_string},
    {"GroupId", NULL, &ax_string},
    {"IpPermissionsEgress", NULL, &ec2_IpPermission_list},
    {"Tags", "tagSet", &ec2_Tag_list},
    {"VpcId", NULL, &ax_string},
};
static const ks_awsxml_node ec2_SecurityGroup = STRUCT(ec2_SecurityGroup_m);
static const ks_awsxml_node ec2_SecurityGroup_list = LIST(ec2_SecurityGroup);
static const ks_awsxml_member ec2_DescribeSecurityGroupsResult_m[] = {
    {"SecurityGroups", "securityGroupInfo", &ec2_SecurityGroup_list},
    {"NextToken", NULL, &ax_string},
};
static const ks_awsxml_node ec2_DescribeSecurityGroupsResult =
    STRUCT(ec2_DescribeSecurityGroupsResult_m);
static const ks_awsxml_member ec2_GroupIdentifier_m[] = {
    {"GroupName", NULL, &ax_string},
    {"GroupId", NULL, &ax_string},
};
static const ks_awsxml_node ec2_GroupIdentifier = STRUCT(ec2_GroupIdentifier_m);
static const ks_awsxml_node ec2_GroupIdentifier_list = LIST(ec2_GroupIdentifier);
static const ks_awsxml_member ec2_Monitoring_m[] = {
    {"State", NULL, &ax_string},
};
static const ks_awsxml_node ec2_Monitoring = STRUCT(ec2_Monitoring_m);
static const ks_awsxml_member ec2_Placement_m[] = {
    {"AvailabilityZone", NULL, &ax_string}, {"Affinity", NULL, &ax_string},
    {"GroupName", NULL, &ax_string},        {"PartitionNumber", NULL, &ax_integer},
    {"HostId", NULL, &ax_string},           {"Tenancy", NULL, &ax_string},
    {"SpreadDomain", NULL, &ax_string},     {"HostResourceGroupArn", NULL, &ax_string},
    {"GroupId", NULL, &ax_string},
};
static const ks_awsxml_node ec2_Placement = STRUCT(ec2_Placement_m);
static const ks_awsxml_member ec2_ProductCode_m[] = {
    {"ProductCodeId", "productCode", &ax_string},
    {"ProductCodeType", "type", &ax_string},
};
static const ks_awsxml_node ec2_ProductCode = STRUCT(ec2_ProductCode_m);
static const ks_awsxml_node ec2_ProductCode_list = LIST(ec2_ProductCode);
static const ks_awsxml_member ec2_InstanceState_m[] = {
    {"Code", NULL, &ax_integer},
    {"Name", NULL, &ax_string},
};
static const ks_awsxml_node ec2_InstanceState = STRUCT(ec2_InstanceState_m);
static const ks_awsxml_member ec2_EbsInstanceBlockDevice_m[] = {
    {"AttachTime", NULL, &ax_timestamp},
    {"DeleteOnTermination", NULL, &ax_boolean},
    {"Status", NULL, &ax_string},
    {"VolumeId", NULL, &ax_string},
};
static const ks_awsxml_node ec2_EbsInstanceBlockDevice = STRUCT(ec2_EbsInstanceBlockDevice_m);
static const ks_awsxml_member ec2_InstanceBlockDeviceMapping_m[] = {
    {"DeviceName", NULL, &ax_string},
    {"Ebs", NULL, &ec2_EbsInstanceBlockDevice},
};
static const ks_awsxml_node ec2_InstanceBlockDeviceMapping =
    STRUCT(ec2_InstanceBlockDeviceMapping_m);
static const ks_awsxml_node ec2_InstanceBlockDeviceMapping_list =
    LIST(ec2_InstanceBlockDeviceMapping);
static const ks_awsxml_member ec2_IamInstanceProfile_m[] = {
    {"Arn", NULL, &ax_string},
    {"Id", NULL, &ax_string},
};
static const ks_awsxml_node ec2_IamInstanceProfile = STRUCT(ec2_IamInstanceProfile_m);
static const ks_awsxml_member ec2_ElasticGpuAssociation_m[] = {
    {"ElasticGpuId", NULL, &ax_string},
    {"ElasticGpuAssociationId", NULL, &ax_string},
    {"ElasticGpuAssociationState", NULL, &ax_string},
    {"ElasticGpuAssociationTime", NULL, &ax_string},
};
static const ks_awsxml_node ec2_ElasticGpuAssociation = STRUCT(ec2_ElasticGpuAssociation_m);
static const ks_awsxml_node ec2_ElasticGpuAssociation_list = LIST(ec2_ElasticGpuAssociation);
static const ks_awsxml_member ec2_ElasticInferenceAcceleratorAssociation_m[] = {
    {"ElasticInferenceAcceleratorArn", NULL, &ax_string},
    {"ElasticInferenceAcceleratorAssociationId", NULL, &ax_string},
    {"ElasticInferenceAcceleratorAssociationState", NULL, &ax_string},
    {"ElasticInferenceAcceleratorAssociationTime", NULL, &ax_timestamp},
};
static const ks_awsxml_node ec2_ElasticInferenceAcceleratorAssociation =
    STRUCT(ec2_ElasticInferenceAcceleratorAssociation_m);
static const ks_awsxml_node ec2_ElasticInferenceAcceleratorAssociation_list =
    LIST(ec2_ElasticInferenceAcceleratorAssociation);
static const ks_awsxml_member ec2_InstanceNetworkInterfaceAssociation_m[] = {
    {"CarrierIp", NULL, &ax_string}, {"CustomerOwnedIp", NULL, &ax_string},
    {"IpOwnerId", NULL, &ax_string}, {"PublicDnsName", NULL, &ax_string},
    {"PublicIp", NULL, &ax_string},
};
static const ks_awsxml_node ec2_InstanceNetworkInterfaceAssociation =
    STRUCT(ec2_InstanceNetworkInterfaceAssociation_m);
static const ks_awsxml_member ec2_InstanceNetworkInterfaceAttachment_m[] = {
    {"AttachTime", NULL, &ax_timestamp},
    {"AttachmentId", NULL, &ax_string},
    {"DeleteOnTermination", NULL, &ax_boolean},
    {"DeviceIndex", NULL, &ax_integer},
    {"Status", NULL, &ax_string},
    {"NetworkCardIndex", NULL, &ax_integer},
};
static const ks_awsxml_node ec2_InstanceNetworkInterfaceAttachment =
    STRUCT(ec2_InstanceNetworkInterfaceAttachment_m);
static const ks_awsxml_member ec2_InstanceIpv6Address_m[] = {
    {"Ipv6Address", NULL, &ax_string},
};
static const ks_awsxml_node ec2_InstanceIpv6Address = STRUCT(ec2_InstanceIpv6Address_m);
static const ks_awsxml_node ec2_InstanceIpv6Address_list = LIST(ec2_InstanceIpv6Address);
static const ks_awsxml_member ec2_InstancePrivateIpAddress_m[] = {
    {"Association", NULL, &ec2_InstanceNetworkInterfaceAssociation},
    {"Primary", NULL, &ax_boolean},
    {"PrivateDnsName", NULL, &ax_string},
    {"PrivateIpAddress", NULL, &ax_string},
};
static const ks_awsxml_node ec2_InstancePrivateIpAddress = STRUCT(ec2_InstancePrivateIpAddress_m);
static const ks_awsxml_node ec2_InstancePrivateIpAddress_list = LIST(ec2_InstancePrivateIpAddress);
static const ks_awsxml_member ec2_InstanceIpv4Prefix_m[] = {
    {"Ipv4Prefix", NULL, &ax_string},
};
static const ks_awsxml_node ec2_InstanceIpv4Prefix = STRUCT(ec2_InstanceIpv4Prefix_m);
static const ks_awsxml_node ec2_InstanceIpv4Prefix_list = LIST(ec2_InstanceIpv4Prefix);
static const ks_awsxml_member ec2_InstanceIpv6Prefix_m[] = {
    {"Ipv6Prefix", NULL, &ax_string},
};
static const ks_awsxml_node ec2_InstanceIpv6Prefix = STRUCT(ec2_InstanceIpv6Prefix_m);
static const ks_awsxml_node ec2_InstanceIpv6Prefix_list = LIST(ec2_InstanceIpv6Prefix);
static const ks_awsxml_member ec2_InstanceNetworkInterface_m[] = {
    {"Association", NULL, &ec2_InstanceNetworkInterfaceAssociation},
    {"Attachment", NULL, &ec2_InstanceNetworkInterfaceAttachment},
    {"Description", NULL, &ax_string},
    {"Groups", "groupSet", &ec2_GroupIdentifier_list},
    {"Ipv6Addresses", "ipv6AddressesSet", &ec2_InstanceIpv6Address_list},
    {"MacAddress", NULL, &ax_string},
    {"NetworkInterfaceId", NULL, &ax_string},
    {"OwnerId", NULL, &ax_string},
    {"PrivateDnsName", NULL, &ax_string},
    {"PrivateIpAddress", NULL, &ax_string},
    {"PrivateIpAddresses", "privateIpAddressesSet", &ec2_InstancePrivateIpAddress_list},
    {"SourceDestCheck", NULL, &ax_boolean},
    {"Status", NULL, &ax_string},
    {"SubnetId", NULL, &ax_string},
    {"VpcId", NULL, &ax_string},
    {"InterfaceType", NULL, &ax_string},
    {"Ipv4Prefixes", "ipv4PrefixSet", &ec2_InstanceIpv4Prefix_list},
    {"Ipv6Prefixes", "ipv6PrefixSet", &ec2_InstanceIpv6Prefix_list},
};
static const ks_awsxml_node ec2_InstanceNetworkInterface = STRUCT(ec2_InstanceNetworkInterface_m);
static const ks_awsxml_node ec2_InstanceNetworkInterface_list = LIST(ec2_InstanceNetworkInterface);
static const ks_awsxml_member ec2_StateReason_m[] = {
    {"Code", NULL, &ax_string},
    {"Message", NULL, &ax_string},
};
static const ks_awsxml_node ec2_StateReason = STRUCT(ec2_StateReason_m);
static const ks_awsxml_member ec2_CpuOptions_m[] = {
    {"CoreCount", NULL, &ax_integer},
    {"ThreadsPerCore", NULL, &ax_integer},
};
static const ks_awsxml_node ec2_CpuOptions = STRUCT(ec2_CpuOptions_m);
static const ks_awsxml_member ec2_CapacityReservationTargetResponse_m[] = {
    {"CapacityReservationId", NULL, &ax_string},
    {"CapacityReservationResourceGroupArn", NULL, &ax_string},
};
static const ks_awsxml_node ec2_CapacityReservationTargetResponse =
    STRUCT(ec2_CapacityReservationTargetResponse_m);
static const ks_awsxml_member ec2_CapacityReservationSpecificationResponse_m[] = {
    {"CapacityReservationPreference", NULL, &ax_string},
    {"CapacityReservationTarget", NULL, &ec2_CapacityReservationTargetResponse},
};
static const ks_awsxml_node ec2_CapacityReservationSpecificationResponse =
    STRUCT(ec2_CapacityReservationSpecificationResponse_m);
static const ks_awsxml_member ec2_HibernationOptions_m[] = {
    {"Configured", NULL, &ax_boolean},
};
static const ks_awsxml_node ec2_HibernationOptions = STRUCT(ec2_HibernationOptions_m);
static const ks_awsxml_member ec2_LicenseConfiguration_m[] = {
    {"LicenseConfigurationArn", NULL, &ax_string},
};
static const ks_awsxml_node ec2_LicenseConfiguration = STRUCT(ec2_LicenseConfiguration_m);
static const ks_awsxml_node ec2_LicenseConfiguration_list = LIST(ec2_LicenseConfiguration);
static const ks_awsxml_member ec2_InstanceMetadataOptionsResponse_m[] = {
    {"State", NULL, &ax_string},
    {"HttpTokens", NULL, &ax_string},
    {"HttpPutResponseHopLimit", NULL, &ax_integer},
    {"HttpEndpoint", NULL, &ax_string},
    {"HttpProtocolIpv6", NULL, &ax_string},
    {"InstanceMetadataTags", NULL, &ax_string},
};
static const ks_awsxml_node ec2_InstanceMetadataOptionsResponse =
    STRUCT(ec2_InstanceMetadataOptionsResponse_m);
static const ks_awsxml_member ec2_EnclaveOptions_m[] = {
    {"Enabled", NULL, &ax_boolean},
};
static const ks_awsxml_node ec2_EnclaveOptions = STRUCT(ec2_EnclaveOptions_m);
static const ks_awsxml_member ec2_PrivateDnsNameOptionsResponse_m[] = {
    {"HostnameType", NULL, &ax_string},
    {"EnableResourceNameDnsARecord", NULL, &ax_boolean},
    {"EnableResourceNameDnsAAAARecord", NULL, &ax_boolean},
};
static const ks_awsxml_node ec2_PrivateDnsNameOptionsResponse =
    STRUCT(ec2_PrivateDnsNameOptionsResponse_m);
static const ks_awsxml_member ec2_InstanceMaintenanceOptions_m[] = {
    {"AutoRecovery", NULL, &ax_string},
};
static const ks_awsxml_node ec2_InstanceMaintenanceOptions =
    STRUCT(ec2_InstanceMaintenanceOptions_m);
static const ks_awsxml_member ec2_Instance_m[] = {
    {"AmiLaunchIndex", NULL, &ax_integer},
    {"ImageId", NULL, &ax_string},
    {"InstanceId", NULL, &ax_string},
    {"InstanceType", NULL, &ax_string},
    {"KernelId", NULL, &ax_string},
    {"KeyName", NULL, &ax_string},
    {"LaunchTime", NULL, &ax_timestamp},
    {"Monitoring", NULL, &ec2_Monitoring},
    {"Placement", NULL, &ec2_Placement},
    {"Platform", NULL, &ax_string},
    {"PrivateDnsName", NULL, &ax_string},
    {"PrivateIpAddress", NULL, &ax_string},
    {"ProductCodes", NULL, &ec2_ProductCode_list},
    {"PublicDnsName", "dnsName", &ax_string},
    {"PublicIpAddress", "ipAddress", &ax_string},
    {"RamdiskId", NULL, &ax_string},
    {"State", "instanceState", &ec2_InstanceState},
    {"StateTransitionReason", "reason", &ax_string},
    {"SubnetId", NULL, &ax_string},
    {"VpcId", NULL, &ax_string},
    {"Architecture", NULL, &ax_string},
    {"BlockDeviceMappings", "blockDeviceMapping", &ec2_InstanceBlockDeviceMapping_list},
    {"ClientToken", NULL, &ax_string},
    {"EbsOptimized", NULL, &ax_boolean},
    {"EnaSupport", NULL, &ax_boolean},
    {"Hypervisor", NULL, &ax_string},
    {"IamInstanceProfile", NULL, &ec2_IamInstanceProfile},
    {"InstanceLifecycle", NULL, &ax_string},
    {"ElasticGpuAssociations", "elasticGpuAssociationSet", &ec2_ElasticGpuAssociation_list},
    {"ElasticInferenceAcceleratorAssociations", "elasticInferenceAcceleratorAssociationSet",
     &ec2_ElasticInferenceAcceleratorAssociation_list},
    {"NetworkInterfaces", "networkInterfaceSet", &ec2_InstanceNetworkInterface_list},
    {"OutpostArn", NULL, &ax_string},
    {"RootDeviceName", NULL, &ax_string},
    {"RootDeviceType", NULL, &ax_string},
    {"SecurityGroups", "groupSet", &ec2_GroupIdentifier_list},
    {"SourceDestCheck", NULL, &ax_boolean},
    {"SpotInstanceRequestId", NULL, &ax_string},
    {"SriovNetSupport", NULL, &ax_string},
    {"StateReason", NULL, &ec2_StateReason},
    {"Tags", "tagSet", &ec2_Tag_list},
    {"VirtualizationType", NULL, &ax_string},
    {"CpuOptions", NULL, &ec2_CpuOptions},
    {"CapacityReservationId", NULL, &ax_string},
    {"CapacityReservationSpecification", NULL, &ec2_CapacityReservationSpecificationResponse},
    {"HibernationOptions", NULL, &ec2_HibernationOptions},
    {"Licenses", "licenseSet", &ec2_LicenseConfiguration_list},
    {"MetadataOptions", NULL, &ec2_InstanceMetadataOptionsResponse},
    {"EnclaveOptions", NULL, &ec2_EnclaveOptions},
    {"BootMode", NULL, &ax_string},
    {"PlatformDetails", NULL, &ax_string},
    {"UsageOperation", NULL, &ax_string},
    {"UsageOperationUpdateTime", NULL, &ax_timestamp},
    {"PrivateDnsNameOptions", NULL, &ec2_PrivateDnsNameOptionsResponse},
    {"Ipv6Address", NULL, &ax_string},
    {"TpmSupport", NULL, &ax_string},
    {"MaintenanceOptions", NULL, &ec2_InstanceMaintenanceOptions},
};
static const ks_awsxml_node ec2_Instance = STRUCT(ec2_Instance_m);
static const ks_awsxml_node ec2_Instance_list = LIST(ec2_Instance);
static const ks_awsxml_member ec2_Reservation_m[] = {
    {"Groups", "groupSet", &ec2_GroupIdentifier_list},
    {"Instances", "instancesSet", &ec2_Instance_list},
    {"OwnerId", NULL, &ax_string},
    {"RequesterId", NULL, &ax_string},
    {"ReservationId", NULL, &ax_string},
};
static const ks_awsxml_node ec2_Reservation = STRUCT(ec2_Reservation_m);
static const ks_awsxml_node ec2_Reservation_list = LIST(ec2_Reservation);
static const ks_awsxml_member ec2_DescribeInstancesResult_m[] = {
    {"Reservations", "reservationSet", &ec2_Reservation_list},
    {"NextToken", NULL, &ax_string},
};
static const ks_awsxml_node ec2_DescribeInstancesResult = STRUCT(ec2_DescribeInstancesResult_m);
static const ks_awsxml_member ec2_VolumeAttachment_m[] = {
    {"AttachTime", NULL, &ax_timestamp}, {"Device", NULL, &ax_string},
    {"InstanceId", NULL, &ax_string},    {"State", "status", &ax_string},
    {"VolumeId", NULL, &ax_string},      {"DeleteOnTermination", NULL, &ax_boolean},
};
static const ks_awsxml_node ec2_VolumeAttachment = STRUCT(ec2_VolumeAttachment_m);
static const ks_awsxml_node ec2_VolumeAttachment_list = LIST(ec2_VolumeAttachment);
static const ks_awsxml_member ec2_Volume_m[] = {
    {"Attachments", "attachmentSet", &ec2_VolumeAttachment_list},
    {"AvailabilityZone", NULL, &ax_string},
    {"CreateTime", NULL, &ax_timestamp},
    {"Encrypted", NULL, &ax_boolean},
    {"KmsKeyId", NULL, &ax_string},
    {"OutpostArn", NULL, &ax_string},
    {"Size", NULL, &ax_integer},
    {"SnapshotId", NULL, &ax_string},
    {"State", "status", &ax_string},
    {"VolumeId", NULL, &ax_string},
    {"Iops", NULL, &ax_integer},
    {"Tags", "tagSet", &ec2_Tag_list},
    {"VolumeType", NULL, &ax_string},
    {"FastRestored", NULL, &ax_boolean},
    {"MultiAttachEnabled", NULL, &ax_boolean},
    {"Throughput", NULL, &ax_integer},
};
static const ks_awsxml_node ec2_Volume = STRUCT(ec2_Volume_m);
static const ks_awsxml_node ec2_Volume_list = LIST(ec2_Volume);
static const ks_awsxml_member ec2_DescribeVolumesResult_m[] = {
    {"Volumes", "volumeSet", &ec2_Volume_list},
    {"NextToken", NULL, &ax_string},
};
static const ks_awsxml_node ec2_DescribeVolumesResult = STRUCT(ec2_DescribeVolumesResult_m);
static const ks_awsxml_member ec2_Snapshot_m[] = {
    {"DataEncryptionKeyId", NULL, &ax_string},
    {"Description", NULL, &ax_string},
    {"Encrypted", NULL, &ax_boolean},
    {"KmsKeyId", NULL, &ax_string},
    {"OwnerId", NULL, &ax_string},
    {"Progress", NULL, &ax_string},
    {"SnapshotId", NULL, &ax_string},
    {"StartTime", NULL, &ax_timestamp},
    {"State", "status", &ax_string},
    {"StateMessage", "statusMessage", &ax_string},
    {"VolumeId", NULL, &ax_string},
    {"VolumeSize", NULL, &ax_integer},
    {"OwnerAlias", NULL, &ax_string},
    {"OutpostArn", NULL, &ax_string},
    {"Tags", "tagSet", &ec2_Tag_list},
    {"StorageTier", NULL, &ax_string},
    {"RestoreExpiryTime", NULL, &ax_timestamp},
};
static const ks_awsxml_node ec2_Snapshot = STRUCT(ec2_Snapshot_m);
static const ks_awsxml_node ec2_Snapshot_list = LIST(ec2_Snapshot);
static const ks_awsxml_member ec2_DescribeSnapshotsResult_m[] = {
    {"Snapshots", "snapshotSet", &ec2_Snapshot_list},
    {"NextToken", NULL, &ax_string},
};
static const ks_awsxml_node ec2_DescribeSnapshotsResult = STRUCT(ec2_DescribeSnapshotsResult_m);
static const ks_awsxml_member ec2_CreateVolumePermission_m[] = {
    {"Group", NULL, &ax_string},
    {"UserId", NULL, &ax_string},
};
static const ks_awsxml_node ec2_CreateVolumePermission = STRUCT(ec2_CreateVolumePermission_m);
static const ks_awsxml_node ec2_CreateVolumePermission_list = LIST(ec2_CreateVolumePermission);
static const ks_awsxml_member ec2_DescribeSnapshotAttributeResult_m[] = {
    {"CreateVolumePermissions", "createVolumePermission", &ec2_CreateVolumePermission_list},
    {"ProductCodes", NULL, &ec2_ProductCode_list},
    {"SnapshotId", NULL, &ax_string},
};
static const ks_awsxml_node ec2_DescribeSnapshotAttributeResult =
    STRUCT(ec2_DescribeSnapshotAttributeResult_m);
static const ks_awsxml_member ec2_EbsBlockDevice_m[] = {
    {"DeleteOnTermination", NULL, &ax_boolean}, {"Iops", NULL, &ax_integer},
    {"SnapshotId", NULL, &ax_string},           {"VolumeSize", NULL, &ax_integer},
    {"VolumeType", NULL, &ax_string},           {"KmsKeyId", NULL, &ax_string},
    {"Throughput", NULL, &ax_integer},          {"OutpostArn", NULL, &ax_string},
    {"Encrypted", NULL, &ax_boolean},
};
static const ks_awsxml_node ec2_EbsBlockDevice = STRUCT(ec2_EbsBlockDevice_m);
static const ks_awsxml_member ec2_BlockDeviceMapping_m[] = {
    {"DeviceName", NULL, &ax_string},
    {"VirtualName", NULL, &ax_string},
    {"Ebs", NULL, &ec2_EbsBlockDevice},
    {"NoDevice", NULL, &ax_string},
};
static const ks_awsxml_node ec2_BlockDeviceMapping = STRUCT(ec2_BlockDeviceMapping_m);
static const ks_awsxml_node ec2_BlockDeviceMapping_list = LIST(ec2_BlockDeviceMapping);
static const ks_awsxml_member ec2_Image_m[] = {
    {"Architecture", NULL, &ax_string},
    {"CreationDate", NULL, &ax_string},
    {"ImageId", NULL, &ax_string},
    {"ImageLocation", NULL, &ax_string},
    {"ImageType", NULL, &ax_string},
    {"Public", "isPublic", &ax_boolean},
    {"KernelId", NULL, &ax_string},
    {"OwnerId", "imageOwnerId", &ax_string},
    {"Platform", NULL, &ax_string},
    {"PlatformDetails", NULL, &ax_string},
    {"UsageOperation", NULL, &ax_string},
    {"ProductCodes", NULL, &ec2_ProductCode_list},
    {"RamdiskId", NULL, &ax_string},
    {"State", "imageState", &ax_string},
    {"BlockDeviceMappings", "blockDeviceMapping", &ec2_BlockDeviceMapping_list},
    {"Description", NULL, &ax_string},
    {"EnaSupport", NULL, &ax_boolean},
    {"Hypervisor", NULL, &ax_string},
    {"ImageOwnerAlias", NULL, &ax_string},
    {"Name", NULL, &ax_string},
    {"RootDeviceName", NULL, &ax_string},
    {"RootDeviceType", NULL, &ax_string},
    {"SriovNetSupport", NULL, &ax_string},
    {"StateReason", NULL, &ec2_StateReason},
    {"Tags", "tagSet", &ec2_Tag_list},
    {"VirtualizationType", NULL, &ax_string},
    {"BootMode", NULL, &ax_string},
    {"TpmSupport", NULL, &ax_string},
    {"DeprecationTime", NULL, &ax_string},
    {"ImdsSupport", NULL, &ax_string},
};
static const ks_awsxml_node ec2_Image = STRUCT(ec2_Image_m);
static const ks_awsxml_node ec2_Image_list = LIST(ec2_Image);
static const ks_awsxml_member ec2_DescribeImagesResult_m[] = {
    {"Images", "imagesSet", &ec2_Image_list},
    {"NextToken", NULL, &ax_string},
};
static const ks_awsxml_node ec2_DescribeImagesResult = STRUCT(ec2_DescribeImagesResult_m);
static const ks_awsxml_member ec2_VpcCidrBlockState_m[] = {
    {"State", NULL, &ax_string},
    {"StatusMessage", NULL, &ax_string},
};
static const ks_awsxml_node ec2_VpcCidrBlockState = STRUCT(ec2_VpcCidrBlockState_m);
static const ks_awsxml_member ec2_VpcIpv6CidrBlockAssociation_m[] = {
    {"AssociationId", NULL, &ax_string},
    {"Ipv6CidrBlock", NULL, &ax_string},
    {"Ipv6CidrBlockState", NULL, &ec2_VpcCidrBlockState},
    {"NetworkBorderGroup", NULL, &ax_string},
    {"Ipv6Pool", NULL, &ax_string},
};
static const ks_awsxml_node ec2_VpcIpv6CidrBlockAssociation =
    STRUCT(ec2_VpcIpv6CidrBlockAssociation_m);
static const ks_awsxml_node ec2_VpcIpv6CidrBlockAssociation_list =
    LIST(ec2_VpcIpv6CidrBlockAssociation);
static const ks_awsxml_member ec2_VpcCidrBlockAssociation_m[] = {
    {"AssociationId", NULL, &ax_string},
    {"CidrBlock", NULL, &ax_string},
    {"CidrBlockState", NULL, &ec2_VpcCidrBlockState},
};
static const ks_awsxml_node ec2_VpcCidrBlockAssociation = STRUCT(ec2_VpcCidrBlockAssociation_m);
static const ks_awsxml_node ec2_VpcCidrBlockAssociation_list = LIST(ec2_VpcCidrBlockAssociation);
static const ks_awsxml_member ec2_Vpc_m[] = {
    {"CidrBlock", NULL, &ax_string},
    {"DhcpOptionsId", NULL, &ax_string},
    {"State", NULL, &ax_string},
    {"VpcId", NULL, &ax_string},
    {"OwnerId", NULL, &ax_string},
    {"InstanceTenancy", NULL, &ax_string},
    {"Ipv6CidrBlockAssociationSet", NULL, &ec2_VpcIpv6CidrBlockAssociation_list},
    {"CidrBlockAssociationSet", NULL, &ec2_VpcCidrBlockAssociation_list},
    {"IsDefault", NULL, &ax_boolean},
    {"Tags", "tagSet", &ec2_Tag_list},
};
static const ks_awsxml_node ec2_Vpc = STRUCT(ec2_Vpc_m);
static const ks_awsxml_node ec2_Vpc_list = LIST(ec2_Vpc);
static const ks_awsxml_member ec2_DescribeVpcsResult_m[] = {
    {"Vpcs", "vpcSet", &ec2_Vpc_list},
    {"NextToken", NULL, &ax_string},
};
static const ks_awsxml_node ec2_DescribeVpcsResult = STRUCT(ec2_DescribeVpcsResult_m);
static const ks_awsxml_member ec2_DestinationOptionsResponse_m[] = {
    {"FileFormat", NULL, &ax_string},
    {"HiveCompatiblePartitions", NULL, &ax_boolean},
    {"PerHourPartition", NULL, &ax_boolean},
};
static const ks_awsxml_node ec2_DestinationOptionsResponse =
    STRUCT(ec2_DestinationOptionsResponse_m);
static const ks_awsxml_member ec2_FlowLog_m[] = {
    {"CreationTime", NULL, &ax_timestamp},
    {"DeliverLogsErrorMessage", NULL, &ax_string},
    {"DeliverLogsPermissionArn", NULL, &ax_string},
    {"DeliverCrossAccountRole", NULL, &ax_string},
    {"DeliverLogsStatus", NULL, &ax_string},
    {"FlowLogId", NULL, &ax_string},
    {"FlowLogStatus", NULL, &ax_string},
    {"LogGroupName", NULL, &ax_string},
    {"ResourceId", NULL, &ax_string},
    {"TrafficType", NULL, &ax_string},
    {"LogDestinationType", NULL, &ax_string},
    {"LogDestination", NULL, &ax_string},
    {"LogFormat", NULL, &ax_string},
    {"Tags", "tagSet", &ec2_Tag_list},
    {"MaxAggregationInterval", NULL, &ax_integer},
    {"DestinationOptions", NULL, &ec2_DestinationOptionsResponse},
};
static const ks_awsxml_node ec2_FlowLog = STRUCT(ec2_FlowLog_m);
static const ks_awsxml_node ec2_FlowLog_list = LIST(ec2_FlowLog);
static const ks_awsxml_member ec2_DescribeFlowLogsResult_m[] = {
    {"FlowLogs", "flowLogSet", &ec2_FlowLog_list},
    {"NextToken", NULL, &ax_string},
};
static const ks_awsxml_node ec2_DescribeFlowLogsResult = STRUCT(ec2_DescribeFlowLogsResult_m);
static const ks_awsxml_member ec2_GetEbsEncryptionByDefaultResult_m[] = {
    {"EbsEncryptionByDefault", NULL, &ax_boolean},
};
static const ks_awsxml_node ec2_GetEbsEncryptionByDefaultResult =
    STRUCT(ec2_GetEbsEncryptionByDefaultResult_m);

/* ---- iam (query) ---- */

static const ks_awsxml_member iam_AttachedPermissionsBoundary_m[] = {
    {"PermissionsBoundaryType", NULL, &ax_string},
    {"PermissionsBoundaryArn", NULL, &ax_string},
};
static const ks_awsxml_node iam_AttachedPermissionsBoundary =
    STRUCT(iam_AttachedPermissionsBoundary_m);
static const ks_awsxml_member iam_Tag_m[] = {
    {"Key", NULL, &ax_string},
    {"Value", NULL, &ax_string},
};
static const ks_awsxml_node iam_Tag = STRUCT(iam_Tag_m);
static const ks_awsxml_node iam_Tag_list = LIST(iam_Tag);
static const ks_awsxml_member iam_User_m[] = {
    {"Path", NULL, &ax_string},
    {"UserName", NULL, &ax_string},
    {"UserId", NULL, &ax_string},
    {"Arn", NULL, &ax_string},
    {"CreateDate", NULL, &ax_timestamp},
    {"PasswordLastUsed", NULL, &ax_timestamp},
    {"PermissionsBoundary", NULL, &iam_AttachedPermissionsBoundary},
    {"Tags", NULL, &iam_Tag_list},
};
static const ks_awsxml_node iam_User = STRUCT(iam_User_m);
static const ks_awsxml_node iam_User_list = LIST(iam_User);
static const ks_awsxml_member iam_ListUsersResponse_m[] = {
    {"Users", NULL, &iam_User_list},
    {"IsTruncated", NULL, &ax_boolean},
    {"Marker", NULL, &ax_string},
};
static const ks_awsxml_node iam_ListUsersResponse = STRUCT(iam_ListUsersResponse_m);
static const ks_awsxml_member iam_MFADevice_m[] = {
    {"UserName", NULL, &ax_string},
    {"SerialNumber", NULL, &ax_string},
    {"EnableDate", NULL, &ax_timestamp},
};
static const ks_awsxml_node iam_MFADevice = STRUCT(iam_MFADevice_m);
static const ks_awsxml_node iam_MFADevice_list = LIST(iam_MFADevice);
static const ks_awsxml_member iam_ListMFADevicesResponse_m[] = {
    {"MFADevices", NULL, &iam_MFADevice_list},
    {"IsTruncated", NULL, &ax_boolean},
    {"Marker", NULL, &ax_string},
};
static const ks_awsxml_node iam_ListMFADevicesResponse = STRUCT(iam_ListMFADevicesResponse_m);
static const ks_awsxml_member iam_AccessKeyMetadata_m[] = {
    {"UserName", NULL, &ax_string},
    {"AccessKeyId", NULL, &ax_string},
    {"Status", NULL, &ax_string},
    {"CreateDate", NULL, &ax_timestamp},
};
static const ks_awsxml_node iam_AccessKeyMetadata = STRUCT(iam_AccessKeyMetadata_m);
static const ks_awsxml_node iam_AccessKeyMetadata_list = LIST(iam_AccessKeyMetadata);
static const ks_awsxml_member iam_ListAccessKeysResponse_m[] = {
    {"AccessKeyMetadata", NULL, &iam_AccessKeyMetadata_list},
    {"IsTruncated", NULL, &ax_boolean},
    {"Marker", NULL, &ax_string},
};
static const ks_awsxml_node iam_ListAccessKeysResponse = STRUCT(iam_ListAccessKeysResponse_m);
static const ks_awsxml_member iam_AccessKeyLastUsed_m[] = {
    {"LastUsedDate", NULL, &ax_timestamp},
    {"ServiceName", NULL, &ax_string},
    {"Region", NULL, &ax_string},
};
static const ks_awsxml_node iam_AccessKeyLastUsed = STRUCT(iam_AccessKeyLastUsed_m);
static const ks_awsxml_member iam_GetAccessKeyLastUsedResponse_m[] = {
    {"UserName", NULL, &ax_string},
    {"AccessKeyLastUsed", NULL, &iam_AccessKeyLastUsed},
};
static const ks_awsxml_node iam_GetAccessKeyLastUsedResponse =
    STRUCT(iam_GetAccessKeyLastUsedResponse_m);
static const ks_awsxml_member iam_AttachedPolicy_m[] = {
    {"PolicyName", NULL, &ax_string},
    {"PolicyArn", NULL, &ax_string},
};
static const ks_awsxml_node iam_AttachedPolicy = STRUCT(iam_AttachedPolicy_m);
static const ks_awsxml_node iam_AttachedPolicy_list = LIST(iam_AttachedPolicy);
static const ks_awsxml_member iam_ListAttachedUserPoliciesResponse_m[] = {
    {"AttachedPolicies", NULL, &iam_AttachedPolicy_list},
    {"IsTruncated", NULL, &ax_boolean},
    {"Marker", NULL, &ax_string},
};
static const ks_awsxml_node iam_ListAttachedUserPoliciesResponse =
    STRUCT(iam_ListAttachedUserPoliciesResponse_m);
static const ks_awsxml_node ax_string_list = LIST(ax_string);
static const ks_awsxml_member iam_ListUserPoliciesResponse_m[] = {
    {"PolicyNames", NULL, &ax_string_list},
    {"IsTruncated", NULL, &ax_boolean},
    {"Marker", NULL, &ax_string},
};
static const ks_awsxml_node iam_ListUserPoliciesResponse = STRUCT(iam_ListUserPoliciesResponse_m);
static const ks_awsxml_member iam_GetUserPolicyResponse_m[] = {
    {"UserName", NULL, &ax_string},
    {"PolicyName", NULL, &ax_string},
    {"PolicyDocument", NULL, &ax_policy},
};
static const ks_awsxml_node iam_GetUserPolicyResponse = STRUCT(iam_GetUserPolicyResponse_m);
static const ks_awsxml_member iam_LoginProfile_m[] = {
    {"UserName", NULL, &ax_string},
    {"CreateDate", NULL, &ax_timestamp},
    {"PasswordResetRequired", NULL, &ax_boolean},
};
static const ks_awsxml_node iam_LoginProfile = STRUCT(iam_LoginProfile_m);
static const ks_awsxml_member iam_GetLoginProfileResponse_m[] = {
    {"LoginProfile", NULL, &iam_LoginProfile},
};
static const ks_awsxml_node iam_GetLoginProfileResponse = STRUCT(iam_GetLoginProfileResponse_m);
static const ks_awsxml_member iam_Group_m[] = {
    {"Path", NULL, &ax_string}, {"GroupName", NULL, &ax_string},     {"GroupId", NULL, &ax_string},
    {"Arn", NULL, &ax_string},  {"CreateDate", NULL, &ax_timestamp},
};
static const ks_awsxml_node iam_Group = STRUCT(iam_Group_m);
static const ks_awsxml_node iam_Group_list = LIST(iam_Group);
static const ks_awsxml_member iam_ListGroupsForUserResponse_m[] = {
    {"Groups", NULL, &iam_Group_list},
    {"IsTruncated", NULL, &ax_boolean},
    {"Marker", NULL, &ax_string},
};
static const ks_awsxml_node iam_ListGroupsForUserResponse = STRUCT(iam_ListGroupsForUserResponse_m);
static const ks_awsxml_member iam_RoleLastUsed_m[] = {
    {"LastUsedDate", NULL, &ax_timestamp},
    {"Region", NULL, &ax_string},
};
static const ks_awsxml_node iam_RoleLastUsed = STRUCT(iam_RoleLastUsed_m);
static const ks_awsxml_member iam_Role_m[] = {
    {"Path", NULL, &ax_string},
    {"RoleName", NULL, &ax_string},
    {"RoleId", NULL, &ax_string},
    {"Arn", NULL, &ax_string},
    {"CreateDate", NULL, &ax_timestamp},
    {"AssumeRolePolicyDocument", NULL, &ax_policy},
    {"Description", NULL, &ax_string},
    {"MaxSessionDuration", NULL, &ax_integer},
    {"PermissionsBoundary", NULL, &iam_AttachedPermissionsBoundary},
    {"Tags", NULL, &iam_Tag_list},
    {"RoleLastUsed", NULL, &iam_RoleLastUsed},
};
static const ks_awsxml_node iam_Role = STRUCT(iam_Role_m);
static const ks_awsxml_node iam_Role_list = LIST(iam_Role);
static const ks_awsxml_member iam_ListRolesResponse_m[] = {
    {"Roles", NULL, &iam_Role_list},
    {"IsTruncated", NULL, &ax_boolean},
    {"Marker", NULL, &ax_string},
};
static const ks_awsxml_node iam_ListRolesResponse = STRUCT(iam_ListRolesResponse_m);
static const ks_awsxml_member iam_ListAttachedRolePoliciesResponse_m[] = {
    {"AttachedPolicies", NULL, &iam_AttachedPolicy_list},
    {"IsTruncated", NULL, &ax_boolean},
    {"Marker", NULL, &ax_string},
};
static const ks_awsxml_node iam_ListAttachedRolePoliciesResponse =
    STRUCT(iam_ListAttachedRolePoliciesResponse_m);
static const ks_awsxml_member iam_ListRolePoliciesResponse_m[] = {
    {"PolicyNames", NULL, &ax_string_list},
    {"IsTruncated", NULL, &ax_boolean},
    {"Marker", NULL, &ax_string},
};
static const ks_awsxml_node iam_ListRolePoliciesResponse = STRUCT(iam_ListRolePoliciesResponse_m);
static const ks_awsxml_member iam_GetRolePolicyResponse_m[] = {
    {"RoleName", NULL, &ax_string},
    {"PolicyName", NULL, &ax_string},
    {"PolicyDocument", NULL, &ax_policy},
};
static const ks_awsxml_node iam_GetRolePolicyResponse = STRUCT(iam_GetRolePolicyResponse_m);
static const ks_awsxml_member iam_ListGroupsResponse_m[] = {
    {"Groups", NULL, &iam_Group_list},
    {"IsTruncated", NULL, &ax_boolean},
    {"Marker", NULL, &ax_string},
};
static const ks_awsxml_node iam_ListGroupsResponse = STRUCT(iam_ListGroupsResponse_m);
static const ks_awsxml_member iam_ListAttachedGroupPoliciesResponse_m[] = {
    {"AttachedPolicies", NULL, &iam_AttachedPolicy_list},
    {"IsTruncated", NULL, &ax_boolean},
    {"Marker", NULL, &ax_string},
};
static const ks_awsxml_node iam_ListAttachedGroupPoliciesResponse =
    STRUCT(iam_ListAttachedGroupPoliciesResponse_m);
static const ks_awsxml_member iam_ListGroupPoliciesResponse_m[] = {
    {"PolicyNames", NULL, &ax_string_list},
    {"IsTruncated", NULL, &ax_boolean},
    {"Marker", NULL, &ax_string},
};
static const ks_awsxml_node iam_ListGroupPoliciesResponse = STRUCT(iam_ListGroupPoliciesResponse_m);
static const ks_awsxml_member iam_GetGroupPolicyResponse_m[] = {
    {"GroupName", NULL, &ax_string},
    {"PolicyName", NULL, &ax_string},
    {"PolicyDocument", NULL, &ax_policy},
};
static const ks_awsxml_node iam_GetGroupPolicyResponse = STRUCT(iam_GetGroupPolicyResponse_m);
static const ks_awsxml_member iam_Policy_m[] = {
    {"PolicyName", NULL, &ax_string},
    {"PolicyId", NULL, &ax_string},
    {"Arn", NULL, &ax_string},
    {"Path", NULL, &ax_string},
    {"DefaultVersionId", NULL, &ax_string},
    {"AttachmentCount", NULL, &ax_integer},
    {"PermissionsBoundaryUsageCount", NULL, &ax_integer},
    {"IsAttachable", NULL, &ax_boolean},
    {"Description", NULL, &ax_string},
    {"CreateDate", NULL, &ax_timestamp},
    {"UpdateDate", NULL, &ax_timestamp},
    {"Tags", NULL, &iam_Tag_list},
};
static const ks_awsxml_node iam_Policy = STRUCT(iam_Policy_m);
static const ks_awsxml_node iam_Policy_list = LIST(iam_Policy);
static const ks_awsxml_member iam_ListPoliciesResponse_m[] = {
    {"Policies", NULL, &iam_Policy_list},
    {"IsTruncated", NULL, &ax_boolean},
    {"Marker", NULL, &ax_string},
};
static const ks_awsxml_node iam_ListPoliciesResponse = STRUCT(iam_ListPoliciesResponse_m);
static const ks_awsxml_member iam_PolicyVersion_m[] = {
    {"Document", NULL, &ax_policy},
    {"VersionId", NULL, &ax_string},
    {"IsDefaultVersion", NULL, &ax_boolean},
    {"CreateDate", NULL, &ax_timestamp},
};
static const ks_awsxml_node iam_PolicyVersion = STRUCT(iam_PolicyVersion_m);
static const ks_awsxml_member iam_GetPolicyVersionResponse_m[] = {
    {"PolicyVersion", NULL, &iam_PolicyVersion},
};
static const ks_awsxml_node iam_GetPolicyVersionResponse = STRUCT(iam_GetPolicyVersionResponse_m);
static const ks_awsxml_node iam_summaryMapType = MAP(ax_integer, "key", "value");
static const ks_awsxml_member iam_GetAccountSummaryResponse_m[] = {
    {"SummaryMap", NULL, &iam_summaryMapType},
};
static const ks_awsxml_node iam_GetAccountSummaryResponse = STRUCT(iam_GetAccountSummaryResponse_m);
static const ks_awsxml_member iam_PasswordPolicy_m[] = {
    {"MinimumPasswordLength", NULL, &ax_integer},
    {"RequireSymbols", NULL, &ax_boolean},
    {"RequireNumbers", NULL, &ax_boolean},
    {"RequireUppercaseCharacters", NULL, &ax_boolean},
    {"RequireLowercaseCharacters", NULL, &ax_boolean},
    {"AllowUsersToChangePassword", NULL, &ax_boolean},
    {"ExpirePasswords", NULL, &ax_boolean},
    {"MaxPasswordAge", NULL, &ax_integer},
    {"PasswordReusePrevention", NULL, &ax_integer},
    {"HardExpiry", NULL, &ax_boolean},
};
static const ks_awsxml_node iam_PasswordPolicy = STRUCT(iam_PasswordPolicy_m);
static const ks_awsxml_member iam_GetAccountPasswordPolicyResponse_m[] = {
    {"PasswordPolicy", NULL, &iam_PasswordPolicy},
};
static const ks_awsxml_node iam_GetAccountPasswordPolicyResponse =
    STRUCT(iam_GetAccountPasswordPolicyResponse_m);
static const ks_awsxml_member iam_GenerateCredentialReportResponse_m[] = {
    {"State", NULL, &ax_string},
    {"Description", NULL, &ax_string},
};
static const ks_awsxml_node iam_GenerateCredentialReportResponse =
    STRUCT(iam_GenerateCredentialReportResponse_m);
static const ks_awsxml_member iam_GetCredentialReportResponse_m[] = {
    {"Content", NULL, &ax_blob},
    {"ReportFormat", NULL, &ax_string},
    {"GeneratedTime", NULL, &ax_timestamp},
};
static const ks_awsxml_node iam_GetCredentialReportResponse =
    STRUCT(iam_GetCredentialReportResponse_m);

/* ---- sts (query) ---- */

static const ks_awsxml_member sts_GetCallerIdentityResponse_m[] = {
    {"UserId", NULL, &ax_string},
    {"Account", NULL, &ax_string},
    {"Arn", NULL, &ax_string},
};
static const ks_awsxml_node sts_GetCallerIdentityResponse = STRUCT(sts_GetCallerIdentityResponse_m);
static const ks_awsxml_member sts_Credentials_m[] = {
    {"AccessKeyId", NULL, &ax_string},
    {"SecretAccessKey", NULL, &ax_string},
    {"SessionToken", NULL, &ax_string},
    {"Expiration", NULL, &ax_timestamp},
};
static const ks_awsxml_node sts_Credentials = STRUCT(sts_Credentials_m);
static const ks_awsxml_member sts_AssumedRoleUser_m[] = {
    {"AssumedRoleId", NULL, &ax_string},
    {"Arn", NULL, &ax_string},
};
static const ks_awsxml_node sts_AssumedRoleUser = STRUCT(sts_AssumedRoleUser_m);
static const ks_awsxml_member sts_AssumeRoleResponse_m[] = {
    {"Credentials", NULL, &sts_Credentials},
    {"AssumedRoleUser", NULL, &sts_AssumedRoleUser},
    {"PackedPolicySize", NULL, &ax_integer},
    {"SourceIdentity", NULL, &ax_string},
};
static const ks_awsxml_node sts_AssumeRoleResponse = STRUCT(sts_AssumeRoleResponse_m);

/* ---- rds (query) ---- */

static const ks_awsxml_member rds_Endpoint_m[] = {
    {"Address", NULL, &ax_string},
    {"Port", NULL, &ax_integer},
    {"HostedZoneId", NULL, &ax_string},
};
static const ks_awsxml_node rds_Endpoint = STRUCT(rds_Endpoint_m);
static const ks_awsxml_member rds_DBSecurityGroupMembership_m[] = {
    {"DBSecurityGroupName", NULL, &ax_string},
    {"Status", NULL, &ax_string},
};
static const ks_awsxml_node rds_DBSecurityGroupMembership = STRUCT(rds_DBSecurityGroupMembership_m);
static const ks_awsxml_node rds_DBSecurityGroupMembership_list =
    LIST(rds_DBSecurityGroupMembership);
static const ks_awsxml_member rds_VpcSecurityGroupMembership_m[] = {
    {"VpcSecurityGroupId", NULL, &ax_string},
    {"Status", NULL, &ax_string},
};
static const ks_awsxml_node rds_VpcSecurityGroupMembership =
    STRUCT(rds_VpcSecurityGroupMembership_m);
static const ks_awsxml_node rds_VpcSecurityGroupMembership_list =
    LIST(rds_VpcSecurityGroupMembership);
static const ks_awsxml_member rds_DBParameterGroupStatus_m[] = {
    {"DBParameterGroupName", NULL, &ax_string},
    {"ParameterApplyStatus", NULL, &ax_string},
};
static const ks_awsxml_node rds_DBParameterGroupStatus = STRUCT(rds_DBParameterGroupStatus_m);
static const ks_awsxml_node rds_DBParameterGroupStatus_list = LIST(rds_DBParameterGroupStatus);
static const ks_awsxml_member rds_AvailabilityZone_m[] = {
    {"Name", NULL, &ax_string},
};
static const ks_awsxml_node rds_AvailabilityZone = STRUCT(rds_AvailabilityZone_m);
static const ks_awsxml_member rds_Outpost_m[] = {
    {"Arn", NULL, &ax_string},
};
static const ks_awsxml_node rds_Outpost = STRUCT(rds_Outpost_m);
static const ks_awsxml_member rds_Subnet_m[] = {
    {"SubnetIdentifier", NULL, &ax_string},
    {"SubnetAvailabilityZone", NULL, &rds_AvailabilityZone},
    {"SubnetOutpost", NULL, &rds_Outpost},
    {"SubnetStatus", NULL, &ax_string},
};
static const ks_awsxml_node rds_Subnet = STRUCT(rds_Subnet_m);
static const ks_awsxml_node rds_Subnet_list = LIST(rds_Subnet);
static const ks_awsxml_member rds_DBSubnetGroup_m[] = {
    {"DBSubnetGroupName", NULL, &ax_string},
    {"DBSubnetGroupDescription", NULL, &ax_string},
    {"VpcId", NULL, &ax_string},
    {"SubnetGroupStatus", NULL, &ax_string},
    {"Subnets", NULL, &rds_Subnet_list},
    {"DBSubnetGroupArn", NULL, &ax_string},
    {"SupportedNetworkTypes", NULL, &ax_string_list},
};
static const ks_awsxml_node rds_DBSubnetGroup = STRUCT(rds_DBSubnetGroup_m);
static const ks_awsxml_member rds_PendingCloudwatchLogsExports_m[] = {
    {"LogTypesToEnable", NULL, &ax_string_list},
    {"LogTypesToDisable", NULL, &ax_string_list},
};
static const ks_awsxml_node rds_PendingCloudwatchLogsExports =
    STRUCT(rds_PendingCloudwatchLogsExports_m);
static const ks_awsxml_member rds_ProcessorFeature_m[] = {
    {"Name", NULL, &ax_string},
    {"Value", NULL, &ax_string},
};
static const ks_awsxml_node rds_ProcessorFeature = STRUCT(rds_ProcessorFeature_m);
static const ks_awsxml_node rds_ProcessorFeature_list = LIST(rds_ProcessorFeature);
static const ks_awsxml_member rds_PendingModifiedValues_m[] = {
    {"DBInstanceClass", NULL, &ax_string},
    {"AllocatedStorage", NULL, &ax_integer},
    {"MasterUserPassword", NULL, &ax_string},
    {"Port", NULL, &ax_integer},
    {"BackupRetentionPeriod", NULL, &ax_integer},
    {"MultiAZ", NULL, &ax_boolean},
    {"EngineVersion", NULL, &ax_string},
    {"LicenseModel", NULL, &ax_string},
    {"Iops", NULL, &ax_integer},
    {"DBInstanceIdentifier", NULL, &ax_string},
    {"StorageType", NULL, &ax_string},
    {"CACertificateIdentifier", NULL, &ax_string},
    {"DBSubnetGroupName", NULL, &ax_string},
    {"PendingCloudwatchLogsExports", NULL, &rds_PendingCloudwatchLogsExports},
    {"ProcessorFeatures", NULL, &rds_ProcessorFeature_list},
    {"IAMDatabaseAuthenticationEnabled", NULL, &ax_boolean},
    {"AutomationMode", NULL, &ax_string},
    {"ResumeFullAutomationModeTime", NULL, &ax_timestamp},
    {"StorageThroughput", NULL, &ax_integer},
};
static const ks_awsxml_node rds_PendingModifiedValues = STRUCT(rds_PendingModifiedValues_m);
static const ks_awsxml_member rds_OptionGroupMembership_m[] = {
    {"OptionGroupName", NULL, &ax_string},
    {"Status", NULL, &ax_string},
};
static const ks_awsxml_node rds_OptionGroupMembership = STRUCT(rds_OptionGroupMembership_m);
static const ks_awsxml_node rds_OptionGroupMembership_list = LIST(rds_OptionGroupMembership);
static const ks_awsxml_member rds_DBInstanceStatusInfo_m[] = {
    {"StatusType", NULL, &ax_string},
    {"Normal", NULL, &ax_boolean},
    {"Status", NULL, &ax_string},
    {"Message", NULL, &ax_string},
};
static const ks_awsxml_node rds_DBInstanceStatusInfo = STRUCT(rds_DBInstanceStatusInfo_m);
static const ks_awsxml_node rds_DBInstanceStatusInfo_list = LIST(rds_DBInstanceStatusInfo);
static const ks_awsxml_member rds_DomainMembership_m[] = {
    {"Domain", NULL, &ax_string},
    {"Status", NULL, &ax_string},
    {"FQDN", NULL, &ax_string},
    {"IAMRoleName", NULL, &ax_string},
};
static const ks_awsxml_node rds_DomainMembership = STRUCT(rds_DomainMembership_m);
static const ks_awsxml_node rds_DomainMembership_list = LIST(rds_DomainMembership);
static const ks_awsxml_member rds_DBInstanceRole_m[] = {
    {"RoleArn", NULL, &ax_string},
    {"FeatureName", NULL, &ax_string},
    {"Status", NULL, &ax_string},
};
static const ks_awsxml_node rds_DBInstanceRole = STRUCT(rds_DBInstanceRole_m);
static const ks_awsxml_node rds_DBInstanceRole_list = LIST(rds_DBInstanceRole);
static const ks_awsxml_member rds_Tag_m[] = {
    {"Key", NULL, &ax_string},
    {"Value", NULL, &ax_string},
};
static const ks_awsxml_node rds_Tag = STRUCT(rds_Tag_m);
static const ks_awsxml_node rds_Tag_list = LIST(rds_Tag);
static const ks_awsxml_member rds_DBInstanceAutomatedBackupsReplication_m[] = {
    {"DBInstanceAutomatedBackupsArn", NULL, &ax_string},
};
static const ks_awsxml_node rds_DBInstanceAutomatedBackupsReplication =
    STRUCT(rds_DBInstanceAutomatedBackupsReplication_m);
static const ks_awsxml_node rds_DBInstanceAutomatedBackupsReplication_list =
    LIST(rds_DBInstanceAutomatedBackupsReplication);
static const ks_awsxml_member rds_DBInstance_m[] = {
    {"DBInstanceIdentifier", NULL, &ax_string},
    {"DBInstanceClass", NULL, &ax_string},
    {"Engine", NULL, &ax_string},
    {"DBInstanceStatus", NULL, &ax_string},
    {"AutomaticRestartTime", NULL, &ax_timestamp},
    {"MasterUsername", NULL, &ax_string},
    {"DBName", NULL, &ax_string},
    {"Endpoint", NULL, &rds_Endpoint},
    {"AllocatedStorage", NULL, &ax_integer},
    {"InstanceCreateTime", NULL, &ax_timestamp},
    {"PreferredBackupWindow", NULL, &ax_string},
    {"BackupRetentionPeriod", NULL, &ax_integer},
    {"DBSecurityGroups", NULL, &rds_DBSecurityGroupMembership_list},
    {"VpcSecurityGroups", NULL, &rds_VpcSecurityGroupMembership_list},
    {"DBParameterGroups", NULL, &rds_DBParameterGroupStatus_list},
    {"AvailabilityZone", NULL, &ax_string},
    {"DBSubnetGroup", NULL, &rds_DBSubnetGroup},
    {"PreferredMaintenanceWindow", NULL, &ax_string},
    {"PendingModifiedValues", NULL, &rds_PendingModifiedValues},
    {"LatestRestorableTime", NULL, &ax_timestamp},
    {"MultiAZ", NULL, &ax_boolean},
    {"EngineVersion", NULL, &ax_string},
    {"AutoMinorVersionUpgrade", NULL, &ax_boolean},
    {"ReadReplicaSourceDBInstanceIdentifier", NULL, &ax_string},
    {"ReadReplicaDBInstanceIdentifiers", NULL, &ax_string_list},
    {"ReadReplicaDBClusterIdentifiers", NULL, &ax_string_list},
    {"ReplicaMode", NULL, &ax_string},
    {"LicenseModel", NULL, &ax_string},
    {"Iops", NULL, &ax_integer},
    {"OptionGroupMemberships", NULL, &rds_OptionGroupMembership_list},
    {"CharacterSetName", NULL, &ax_string},
    {"NcharCharacterSetName", NULL, &ax_string},
    {"SecondaryAvailabilityZone", NULL, &ax_string},
    {"PubliclyAccessible", NULL, &ax_boolean},
    {"StatusInfos", NULL, &rds_DBInstanceStatusInfo_list},
    {"StorageType", NULL, &ax_string},
    {"TdeCredentialArn", NULL, &ax_string},
    {"DbInstancePort", NULL, &ax_integer},
    {"DBClusterIdentifier", NULL, &ax_string},
    {"StorageEncrypted", NULL, &ax_boolean},
    {"KmsKeyId", NULL, &ax_string},
    {"DbiResourceId", NULL, &ax_string},
    {"CACertificateIdentifier", NULL, &ax_string},
    {"DomainMemberships", NULL, &rds_DomainMembership_list},
    {"CopyTagsToSnapshot", NULL, &ax_boolean},
    {"MonitoringInterval", NULL, &ax_integer},
    {"EnhancedMonitoringResourceArn", NULL, &ax_string},
    {"MonitoringRoleArn", NULL, &ax_string},
    {"PromotionTier", NULL, &ax_integer},
    {"DBInstanceArn", NULL, &ax_string},
    {"Timezone", NULL, &ax_string},
    {"IAMDatabaseAuthenticationEnabled", NULL, &ax_boolean},
    {"PerformanceInsightsEnabled", NULL, &ax_boolean},
    {"PerformanceInsightsKMSKeyId", NULL, &ax_string},
    {"PerformanceInsightsRetentionPeriod", NULL, &ax_integer},
    {"EnabledCloudwatchLogsExports", NULL, &ax_string_list},
    {"ProcessorFeatures", NULL, &rds_ProcessorFeature_list},
    {"DeletionProtection", NULL, &ax_boolean},
    {"AssociatedRoles", NULL, &rds_DBInstanceRole_list},
    {"ListenerEndpoint", NULL, &rds_Endpoint},
    {"MaxAllocatedStorage", NULL, &ax_integer},
    {"TagList", NULL, &rds_Tag_list},
    {"DBInstanceAutomatedBackupsReplications", NULL,
     &rds_DBInstanceAutomatedBackupsReplication_list},
    {"CustomerOwnedIpEnabled", NULL, &ax_boolean},
    {"AwsBackupRecoveryPointArn", NULL, &ax_string},
    {"ActivityStreamStatus", NULL, &ax_string},
    {"ActivityStreamKmsKeyId", NULL, &ax_string},
    {"ActivityStreamKinesisStreamName", NULL, &ax_string},
    {"ActivityStreamMode", NULL, &ax_string},
    {"ActivityStreamEngineNativeAuditFieldsIncluded", NULL, &ax_boolean},
    {"AutomationMode", NULL, &ax_string},
    {"ResumeFullAutomationModeTime", NULL, &ax_timestamp},
    {"CustomIamInstanceProfile", NULL, &ax_string},
    {"BackupTarget", NULL, &ax_string},
    {"NetworkType", NULL, &ax_string},
    {"ActivityStreamPolicyStatus", NULL, &ax_string},
    {"StorageThroughput", NULL, &ax_integer},
    {"DBSystemId", NULL, &ax_string},
};
static const ks_awsxml_node rds_DBInstance = STRUCT(rds_DBInstance_m);
static const ks_awsxml_node rds_DBInstance_list = LIST(rds_DBInstance);
static const ks_awsxml_member rds_DBInstanceMessage_m[] = {
    {"Marker", NULL, &ax_string},
    {"DBInstances", NULL, &rds_DBInstance_list},
};
static const ks_awsxml_node rds_DBInstanceMessage = STRUCT(rds_DBInstanceMessage_m);

/* ---- s3 (rest-xml) ---- */

static const ks_awsxml_member s3_Bucket_m[] = {
    {"Name", NULL, &ax_string},
    {"CreationDate", NULL, &ax_timestamp},
    {"BucketRegion", NULL, &ax_string},
};
static const ks_awsxml_node s3_Bucket = STRUCT(s3_Bucket_m);
static const ks_awsxml_node s3_Bucket_list = LIST(s3_Bucket);
static const ks_awsxml_member s3_Owner_m[] = {
    {"DisplayName", NULL, &ax_string},
    {"ID", NULL, &ax_string},
};
static const ks_awsxml_node s3_Owner = STRUCT(s3_Owner_m);
static const ks_awsxml_member s3_ListBucketsOutput_m[] = {
    {"Buckets", NULL, &s3_Bucket_list},
    {"Owner", NULL, &s3_Owner},
    {"ContinuationToken", NULL, &ax_string},
    {"Prefix", NULL, &ax_string},
};
static const ks_awsxml_node s3_ListBucketsOutput = STRUCT(s3_ListBucketsOutput_m);
static const ks_awsxml_member s3_GetBucketLocationOutput_m[] = {
    {"LocationConstraint", NULL, &ax_string},
};
static const ks_awsxml_node s3_GetBucketLocationOutput = STRUCT(s3_GetBucketLocationOutput_m);
static const ks_awsxml_member s3_PublicAccessBlockConfiguration_m[] = {
    {"BlockPublicAcls", NULL, &ax_boolean},
    {"IgnorePublicAcls", NULL, &ax_boolean},
    {"BlockPublicPolicy", NULL, &ax_boolean},
    {"RestrictPublicBuckets", NULL, &ax_boolean},
};
static const ks_awsxml_node s3_PublicAccessBlockConfiguration =
    STRUCT(s3_PublicAccessBlockConfiguration_m);
static const ks_awsxml_member s3_GetPublicAccessBlockOutput_m[] = {
    {"PublicAccessBlockConfiguration", NULL, &s3_PublicAccessBlockConfiguration},
};
static const ks_awsxml_node s3_GetPublicAccessBlockOutput = STRUCT(s3_GetPublicAccessBlockOutput_m);
static const ks_awsxml_member s3_ServerSideEncryptionByDefault_m[] = {
    {"SSEAlgorithm", NULL, &ax_string},
    {"KMSMasterKeyID", NULL, &ax_string},
};
static const ks_awsxml_node s3_ServerSideEncryptionByDefault =
    STRUCT(s3_ServerSideEncryptionByDefault_m);
static const ks_awsxml_member s3_ServerSideEncryptionRule_m[] = {
    {"ApplyServerSideEncryptionByDefault", NULL, &s3_ServerSideEncryptionByDefault},
    {"BucketKeyEnabled", NULL, &ax_boolean},
};
static const ks_awsxml_node s3_ServerSideEncryptionRule = STRUCT(s3_ServerSideEncryptionRule_m);
static const ks_awsxml_node s3_ServerSideEncryptionRule_flat =
    FLAT_LIST(s3_ServerSideEncryptionRule);
static const ks_awsxml_member s3_ServerSideEncryptionConfiguration_m[] = {
    {"Rules", "Rule", &s3_ServerSideEncryptionRule_flat},
};
static const ks_awsxml_node s3_ServerSideEncryptionConfiguration =
    STRUCT(s3_ServerSideEncryptionConfiguration_m);
static const ks_awsxml_member s3_GetBucketEncryptionOutput_m[] = {
    {"ServerSideEncryptionConfiguration", NULL, &s3_ServerSideEncryptionConfiguration},
};
static const ks_awsxml_node s3_GetBucketEncryptionOutput = STRUCT(s3_GetBucketEncryptionOutput_m);
static const ks_awsxml_member s3_GetBucketVersioningOutput_m[] = {
    {"Status", NULL, &ax_string},
    {"MFADelete", "MfaDelete", &ax_string},
};
static const ks_awsxml_node s3_GetBucketVersioningOutput = STRUCT(s3_GetBucketVersioningOutput_m);
static const ks_awsxml_member s3_Grantee_m[] = {
    {"DisplayName", NULL, &ax_string}, {"EmailAddress", NULL, &ax_string}, {"ID", NULL, &ax_string},
    {"Type", "@xsi:type", &ax_string}, {"URI", NULL, &ax_string},
};
static const ks_awsxml_node s3_Grantee = STRUCT(s3_Grantee_m);
static const ks_awsxml_member s3_TargetGrant_m[] = {
    {"Grantee", NULL, &s3_Grantee},
    {"Permission", NULL, &ax_string},
};
static const ks_awsxml_node s3_TargetGrant = STRUCT(s3_TargetGrant_m);
static const ks_awsxml_node s3_TargetGrant_list = LIST(s3_TargetGrant);
static const ks_awsxml_member s3_LoggingEnabled_m[] = {
    {"TargetBucket", NULL, &ax_string},
    {"TargetGrants", NULL, &s3_TargetGrant_list},
    {"TargetPrefix", NULL, &ax_string},
};
static const ks_awsxml_node s3_LoggingEnabled = STRUCT(s3_LoggingEnabled_m);
static const ks_awsxml_member s3_GetBucketLoggingOutput_m[] = {
    {"LoggingEnabled", NULL, &s3_LoggingEnabled},
};
static const ks_awsxml_node s3_GetBucketLoggingOutput = STRUCT(s3_GetBucketLoggingOutput_m);
static const ks_awsxml_member s3_PolicyStatus_m[] = {
    {"IsPublic", NULL, &ax_boolean},
};
static const ks_awsxml_node s3_PolicyStatus = STRUCT(s3_PolicyStatus_m);
static const ks_awsxml_member s3_GetBucketPolicyStatusOutput_m[] = {
    {"PolicyStatus", NULL, &s3_PolicyStatus},
};
static const ks_awsxml_node s3_GetBucketPolicyStatusOutput =
    STRUCT(s3_GetBucketPolicyStatusOutput_m);
static const ks_awsxml_member s3_Grant_m[] = {
    {"Grantee", NULL, &s3_Grantee},
    {"Permission", NULL, &ax_string},
};
static const ks_awsxml_node s3_Grant = STRUCT(s3_Grant_m);
static const ks_awsxml_node s3_Grant_list = LIST(s3_Grant);
static const ks_awsxml_member s3_GetBucketAclOutput_m[] = {
    {"Owner", NULL, &s3_Owner},
    {"Grants", "AccessControlList", &s3_Grant_list},
};
static const ks_awsxml_node s3_GetBucketAclOutput = STRUCT(s3_GetBucketAclOutput_m);
static const ks_awsxml_member s3_Tag_m[] = {
    {"Key", NULL, &ax_string},
    {"Value", NULL, &ax_string},
};
static const ks_awsxml_node s3_Tag = STRUCT(s3_Tag_m);
static const ks_awsxml_node s3_Tag_list = LIST(s3_Tag);
static const ks_awsxml_member s3_GetBucketTaggingOutput_m[] = {
    {"TagSet", NULL, &s3_Tag_list},
};
static const ks_awsxml_node s3_GetBucketTaggingOutput = STRUCT(s3_GetBucketTaggingOutput_m);

/* ---- s3control (rest-xml) ---- */

static const ks_awsxml_member s3c_PublicAccessBlockConfiguration_m[] = {
    {"BlockPublicAcls", NULL, &ax_boolean},
    {"IgnorePublicAcls", NULL, &ax_boolean},
    {"BlockPublicPolicy", NULL, &ax_boolean},
    {"RestrictPublicBuckets", NULL, &ax_boolean},
};
static const ks_awsxml_node s3c_PublicAccessBlockConfiguration =
    STRUCT(s3c_PublicAccessBlockConfiguration_m);
static const ks_awsxml_member s3c_GetPublicAccessBlockOutput_m[] = {
    {"PublicAccessBlockConfiguration", NULL, &s3c_PublicAccessBlockConfiguration},
};
static const ks_awsxml_node s3c_GetPublicAccessBlockOutput =
    STRUCT(s3c_GetPublicAccessBlockOutput_m);

/* ---- the operations ---- */

#define IAM_PAGES .token_out = "Marker", .token_in = "Marker", .more_results = "IsTruncated"
#define EC2_PAGES .token_out = "NextToken", .token_in = "NextToken"

const ks_awsxml_shape ks_awsxml_ops[] = {
    {OP("ec2", "DescribeRegions", KS_AXP_EC2, ec2_DescribeRegionsResult)},
    {OP("ec2", "DescribeSecurityGroups", KS_AXP_EC2, ec2_DescribeSecurityGroupsResult), EC2_PAGES},
    {OP("ec2", "DescribeInstances", KS_AXP_EC2, ec2_DescribeInstancesResult), EC2_PAGES},
    {OP("ec2", "DescribeVolumes", KS_AXP_EC2, ec2_DescribeVolumesResult), EC2_PAGES},
    {OP("ec2", "DescribeSnapshots", KS_AXP_EC2, ec2_DescribeSnapshotsResult), EC2_PAGES},
    {OP("ec2", "DescribeSnapshotAttribute", KS_AXP_EC2, ec2_DescribeSnapshotAttributeResult)},
    {OP("ec2", "DescribeImages", KS_AXP_EC2, ec2_DescribeImagesResult), EC2_PAGES},
    {OP("ec2", "DescribeVpcs", KS_AXP_EC2, ec2_DescribeVpcsResult), EC2_PAGES},
    {OP("ec2", "DescribeFlowLogs", KS_AXP_EC2, ec2_DescribeFlowLogsResult), EC2_PAGES},
    {OP("ec2", "GetEbsEncryptionByDefault", KS_AXP_EC2, ec2_GetEbsEncryptionByDefaultResult)},
    {OP("iam", "ListUsers", KS_AXP_QUERY, iam_ListUsersResponse), IAM_PAGES},
    {OP("iam", "ListMFADevices", KS_AXP_QUERY, iam_ListMFADevicesResponse), IAM_PAGES},
    {OP("iam", "ListAccessKeys", KS_AXP_QUERY, iam_ListAccessKeysResponse), IAM_PAGES},
    {OP("iam", "GetAccessKeyLastUsed", KS_AXP_QUERY, iam_GetAccessKeyLastUsedResponse)},
    {OP("iam", "ListAttachedUserPolicies", KS_AXP_QUERY, iam_ListAttachedUserPoliciesResponse),
     IAM_PAGES},
    {OP("iam", "ListUserPolicies", KS_AXP_QUERY, iam_ListUserPoliciesResponse), IAM_PAGES},
    {OP("iam", "GetUserPolicy", KS_AXP_QUERY, iam_GetUserPolicyResponse)},
    {OP("iam", "GetLoginProfile", KS_AXP_QUERY, iam_GetLoginProfileResponse)},
    {OP("iam", "ListGroupsForUser", KS_AXP_QUERY, iam_ListGroupsForUserResponse), IAM_PAGES},
    {OP("iam", "ListRoles", KS_AXP_QUERY, iam_ListRolesResponse), IAM_PAGES},
    {OP("iam", "ListAttachedRolePolicies", KS_AXP_QUERY, iam_ListAttachedRolePoliciesResponse),
     IAM_PAGES},
    {OP("iam", "ListRolePolicies", KS_AXP_QUERY, iam_ListRolePoliciesResponse), IAM_PAGES},
    {OP("iam", "GetRolePolicy", KS_AXP_QUERY, iam_GetRolePolicyResponse)},
    {OP("iam", "ListGroups", KS_AXP_QUERY, iam_ListGroupsResponse), IAM_PAGES},
    {OP("iam", "ListAttachedGroupPolicies", KS_AXP_QUERY, iam_ListAttachedGroupPoliciesResponse),
     IAM_PAGES},
    {OP("iam", "ListGroupPolicies", KS_AXP_QUERY, iam_ListGroupPoliciesResponse), IAM_PAGES},
    {OP("iam", "GetGroupPolicy", KS_AXP_QUERY, iam_GetGroupPolicyResponse)},
    {OP("iam", "ListPolicies", KS_AXP_QUERY, iam_ListPoliciesResponse), IAM_PAGES},
    {OP("iam", "GetPolicyVersion", KS_AXP_QUERY, iam_GetPolicyVersionResponse)},
    {OP("iam", "GetAccountSummary", KS_AXP_QUERY, iam_GetAccountSummaryResponse)},
    {OP("iam", "GetAccountPasswordPolicy", KS_AXP_QUERY, iam_GetAccountPasswordPolicyResponse)},
    {OP("iam", "GenerateCredentialReport", KS_AXP_QUERY, iam_GenerateCredentialReportResponse)},
    {OP("iam", "GetCredentialReport", KS_AXP_QUERY, iam_GetCredentialReportResponse)},
    {OP("sts", "GetCallerIdentity", KS_AXP_QUERY, sts_GetCallerIdentityResponse)},
    {OP("sts", "AssumeRole", KS_AXP_QUERY, sts_AssumeRoleResponse)},
    {OP("rds", "DescribeDBInstances", KS_AXP_QUERY, rds_DBInstanceMessage), .token_out = "Marker",
     .token_in = "Marker"},
    {OP("s3", "ListBuckets", KS_AXP_REST_XML, s3_ListBucketsOutput),
     .token_out = "ContinuationToken", .token_in = "ContinuationToken"},
    /* The body is <LocationConstraint>region</LocationConstraint>, empty for
     * us-east-1 (botocore's parse_get_bucket_location handler reads the root's
     * text); a scalar payload says exactly that. */
    {OP("s3", "GetBucketLocation", KS_AXP_REST_XML, s3_GetBucketLocationOutput),
     .payload = "LocationConstraint"},
    {OP("s3", "GetPublicAccessBlock", KS_AXP_REST_XML, s3_GetPublicAccessBlockOutput),
     .payload = "PublicAccessBlockConfiguration"},
    {OP("s3", "GetBucketEncryption", KS_AXP_REST_XML, s3_GetBucketEncryptionOutput),
     .payload = "ServerSideEncryptionConfiguration"},
    {OP("s3", "GetBucketVersioning", KS_AXP_REST_XML, s3_GetBucketVersioningOutput)},
    {OP("s3", "GetBucketLogging", KS_AXP_REST_XML, s3_GetBucketLoggingOutput)},
    {OP("s3", "GetBucketPolicyStatus", KS_AXP_REST_XML, s3_GetBucketPolicyStatusOutput),
     .payload = "PolicyStatus"},
    {OP("s3", "GetBucketAcl", KS_AXP_REST_XML, s3_GetBucketAclOutput)},
    {OP("s3", "GetBucketTagging", KS_AXP_REST_XML, s3_GetBucketTaggingOutput)},
    {OP("s3control", "GetPublicAccessBlock", KS_AXP_REST_XML, s3c_GetPublicAccessBlockOutput),
     .payload = "PublicAccessBlockConfiguration"},
};

const size_t ks_awsxml_n_ops = sizeof ks_awsxml_ops / sizeof ks_awsxml_ops[0];
