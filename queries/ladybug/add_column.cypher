ALTER TABLE {label} ADD {column} {type}
