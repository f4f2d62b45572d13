"""Issued documents of every kind (the cascade today; the Perjanjian Kinerja and the quarterly
reports next): what a document is, who signs it in which role, its signed files, and the one
renderer that turns a document into signed PDF bytes through its kind's template."""
