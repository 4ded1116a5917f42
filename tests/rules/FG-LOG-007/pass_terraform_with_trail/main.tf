resource "aws_guardduty_detector" "main" {
  enable = true
}

resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = "example-trail"
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  include_global_service_events = true
}
