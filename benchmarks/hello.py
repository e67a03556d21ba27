"""The hello-world Flask app the scale benchmark holds the dashboard against, under the same gunicorn."""

from flask import Flask, request

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"


@app.post("/answer")
def answer():
    """A form posted, read and thanked for: what the public answer page is held against."""
    return f"Thanks for your {len(request.form)} answers."
