COPY {label} FROM {source}
