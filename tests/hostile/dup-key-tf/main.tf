resource "aws_sqs_queue" "jobs" {
  name = "jobs"
  tags = {
    team  = "a"
    owner = "ops"
    team  = "b"
  }
}

resource "aws_sns_topic" "events" {
  name = "events"
  tags = { "env" = "dev", "env" = "prod" }
}
