resource "aws_sqs_queue" "q" {
  count = 1000000000
  name  = "q"
}
