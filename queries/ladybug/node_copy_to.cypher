COPY (MATCH (n:{label}) RETURN {returns}) TO {target}
