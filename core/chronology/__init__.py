"""A case's and a person's chronology: the significant events drawn from what is recorded,
with those the agencies write by hand, for Safeguarding Adults Reviews and Child
Safeguarding Practice Reviews (issue 24, item 1)."""
