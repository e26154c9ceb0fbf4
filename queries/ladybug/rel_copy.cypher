COPY {rel} FROM {source} (from='{src}', to='{tgt}')
