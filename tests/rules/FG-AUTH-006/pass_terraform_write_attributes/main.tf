resource "aws_cognito_user_pool" "customers" {
  name = "customers"

  schema {
    name                = "tenant_role"
    attribute_data_type = "String"
    mutable             = false
  }

  schema {
    name                = "nickname_role"
    attribute_data_type = "String"
    mutable             = true
  }
}

resource "aws_cognito_user_pool_client" "web" {
  name             = "web"
  user_pool_id     = aws_cognito_user_pool.customers.id
  write_attributes = ["email"]
}
