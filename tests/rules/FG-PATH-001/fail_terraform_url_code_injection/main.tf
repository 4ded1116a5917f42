data "archive_file" "calc" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/calc.zip"
}

resource "aws_iam_role" "calc" {
  name = "calc"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "calc" {
  name = "calc"
  role = aws_iam_role.calc.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject"]
      Resource = "${aws_s3_bucket.reports.arn}/*"
    }]
  })
}

resource "aws_lambda_function" "calc" {
  function_name    = "calc"
  role             = aws_iam_role.calc.arn
  runtime          = "python3.12"
  handler          = "app.handler"
  filename         = data.archive_file.calc.output_path
  source_code_hash = data.archive_file.calc.output_base64sha256
}

resource "aws_lambda_function_url" "calc" {
  function_name      = aws_lambda_function.calc.function_name
  authorization_type = "NONE"
}

resource "aws_s3_bucket" "reports" {
  bucket = "calc-reports"
}

resource "aws_s3_bucket" "logs" {
  bucket = "calc-logs"
}
