terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

data "archive_file" "shared_layer" {
  type        = "zip"
  source_dir  = "${path.module}/layer"
  output_path = "${path.module}/build/shared-layer.zip"
}

resource "aws_lambda_layer_version" "shared" {
  layer_name          = "digest-shared"
  filename            = data.archive_file.shared_layer.output_path
  source_code_hash    = data.archive_file.shared_layer.output_base64sha256
  compatible_runtimes = ["nodejs22.x"]
}

data "archive_file" "digest" {
  type        = "zip"
  source_dir  = "${path.module}/functions/digest"
  output_path = "${path.module}/build/digest.zip"
}

resource "aws_iam_role" "digest" {
  name = "digest"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_lambda_function" "digest" {
  function_name    = "digest"
  role             = aws_iam_role.digest.arn
  runtime          = "nodejs22.x"
  handler          = "index.handler"
  filename         = data.archive_file.digest.output_path
  source_code_hash = data.archive_file.digest.output_base64sha256
  layers           = [aws_lambda_layer_version.shared.arn]
}

resource "aws_lambda_function" "cleanup" {
  function_name    = "cleanup"
  role             = aws_iam_role.digest.arn
  runtime          = "nodejs22.x"
  handler          = "index.cleanup"
  filename         = data.archive_file.digest.output_path
  source_code_hash = data.archive_file.digest.output_base64sha256
  layers           = [aws_lambda_layer_version.shared.arn]
}
