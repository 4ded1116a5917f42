data "archive_file" "reports" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/reports.zip"
}

resource "aws_iam_role" "reports" {
  name = "reports"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_lambda_function" "reports" {
  function_name    = "reports"
  role             = aws_iam_role.reports.arn
  runtime          = "python3.12"
  handler          = "app.handler"
  filename         = data.archive_file.reports.output_path
  source_code_hash = data.archive_file.reports.output_base64sha256
}

resource "aws_lambda_function_url" "reports" {
  function_name      = aws_lambda_function.reports.function_name
  authorization_type = "NONE"
}
