resource "aws_cognito_user_pool" "customers" {
  name = "customers"

  password_policy {
    minimum_length    = 6
    require_symbols   = false
    require_numbers   = false
    require_uppercase = false
  }
}
