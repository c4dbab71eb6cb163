"""The training service (人才培训): seed 000 附件1, seed 001 §二(一) and 附件1-2."""
