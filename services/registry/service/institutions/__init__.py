"""服务机构: the directory, their qualifications and review, and their contracts."""
