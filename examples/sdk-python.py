# pip install openai
from openai import OpenAI

client = OpenAI(base_url="http://127.0.0.1:8420/v1", api_key="smartsplit")

stream = client.chat.completions.create(
    model="smartsplit",
    messages=[{"role": "user", "content": "Write a Python CSV parser"}],
    stream=True,
)
for chunk in stream:
    print(chunk.choices[0].delta.content or "", end="", flush=True)
