"""The hello-world Flask app the scale benchmark holds the dashboard against, under the same gunicorn."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
