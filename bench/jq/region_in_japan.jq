# aws.account.region_in_japan: resources outside ap-northeast-1 / ap-northeast-3 (global services excepted)
select(.type != null and (.region as $r | ["ap-northeast-1", "ap-northeast-3", "global"] | index($r) | not))
| .id
