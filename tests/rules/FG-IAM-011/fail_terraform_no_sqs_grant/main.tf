resource "aws_sqs_queue" "emails" {
  name = "emails"
}

data "archive_file" "signup" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/signup.zip"
}

resource "aws_lambda_function" "signup" {
  function_name = "signup"
  filename      = data.archive_file.signup.output_path
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  role          = aws_iam_role.signup.arn
  environment {
    variables = {
      QUEUE_URL = aws_sqs_queue.emails.url
    }
  }
}

resource "aws_iam_role" "signup" {
  name = "signup"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.signup.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}
