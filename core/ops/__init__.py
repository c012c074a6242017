"""Operations: the scoring server, monitoring log and review queue, batch jobs, the Spark job, accounts."""
