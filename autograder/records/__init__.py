"""Records: what grading leaves behind (journal, gradebook, feedback, report, grades CSV, LMS exports)."""
