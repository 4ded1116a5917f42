variable "db_password" {
  type      = string
  sensitive = true
  default   = "pr0d-Db!pass-2024"
}

variable "stage" {
  default = "prod"
}
