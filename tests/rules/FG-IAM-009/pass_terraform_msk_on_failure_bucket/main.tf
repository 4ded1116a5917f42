resource "aws_msk_cluster" "events" {
  cluster_name           = "events"
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 2
}

resource "aws_s3_bucket" "failed" {
  bucket = "acme-failed-batches"
}

data "archive_file" "consumer" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/consumer.zip"
}

resource "aws_lambda_function" "consumer" {
  function_name = "consumer"
  filename      = data.archive_file.consumer.output_path
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  role          = aws_iam_role.consumer.arn
}

resource "aws_lambda_event_source_mapping" "consumer" {
  function_name     = aws_lambda_function.consumer.arn
  event_source_arn  = aws_msk_cluster.events.arn
  topics            = ["orders"]
  starting_position = "TRIM_HORIZON"
  destination_config {
    on_failure {
      destination_arn = aws_s3_bucket.failed.arn
    }
  }
}

resource "aws_iam_role" "consumer" {
  name               = "consumer"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "consumer" {
  statement {
    actions = [
      "kafka:DescribeClusterV2",
      "kafka:GetBootstrapBrokers",
      "ec2:CreateNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeVpcs",
      "ec2:DeleteNetworkInterface",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
    ]
    resources = ["*"]
  }
  statement {
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.failed.arn}/*"]
  }
  statement {
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.failed.arn]
  }
  statement {
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "consumer" {
  role   = aws_iam_role.consumer.id
  policy = data.aws_iam_policy_document.consumer.json
}
