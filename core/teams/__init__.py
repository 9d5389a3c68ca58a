"""The council's teams and local areas ("Area" on pages; the model is Locality, so it is
not confused with the council areas of a multi-council instance): small lists the
administrators keep, that users, concerns and the figures refer to."""
