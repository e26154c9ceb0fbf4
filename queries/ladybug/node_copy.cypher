COPY {label} FROM $rows
