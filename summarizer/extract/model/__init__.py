"""Every model call of the pipeline: ``calls.Calls`` (the one place a request is made),
the three whole-document ``passes``, the short ``questions``, their ``responses`` models and
the versioned ``prompt`` templates."""
