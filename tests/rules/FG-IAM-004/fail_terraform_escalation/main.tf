resource "aws_iam_role" "deployer" {
  name                 = "deployer"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  permissions_boundary = "arn:aws:iam::123456789012:policy/boundary"
}

resource "aws_iam_role" "fn" {
  name               = "fn"
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

resource "aws_iam_policy" "deploy" {
  name   = "deploy"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
      "Resource": "*"
    }
  ]
}
EOF
}

resource "aws_iam_role_policy_attachment" "deploy" {
  role       = aws_iam_role.fn.name
  policy_arn = aws_iam_policy.deploy.arn
}

resource "aws_iam_role_policy" "boundary_capped" {
  role = aws_iam_role.deployer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutRolePolicy", Resource = "*" }]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  filename      = "fn.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = aws_iam_role.fn.arn
}

resource "aws_lambda_function" "deployer" {
  function_name = "deployer"
  filename      = "deployer.zip"
  handler       = "app.handler"
  runtime       = "python3.13"
  role          = aws_iam_role.deployer.arn
}
