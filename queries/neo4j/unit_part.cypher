CALL () {{
{inner}
}}
