CALL () {{
CALL () {{
{inner}
}}
RETURN collect([{names}]) AS {alias}
}}
