# aws.cloudtrail.multi_region_trail_logging: at least one multi-region trail is logging (one pass, all lines)
[inputs | select(.type == "aws.cloudtrail.trail" and .attrs.IsMultiRegionTrail == true and .attrs.Status.IsLogging == true)]
| if length > 0 then "PASS" else "FAIL" end
