from django.urls import path

from quizzes import views

app_name = "quizzes"

urlpatterns = [
    path("quizzes/", views.quiz_list, name="quiz_list"),
    path("quizzes/<slug:slug>/", views.quiz_detail, name="quiz_detail"),
    path("quizzes/<slug:slug>/start/", views.attempt_start, name="attempt_start"),
    path("attempts/<int:pk>/", views.attempt_resume, name="attempt_resume"),
    path("attempts/<int:pk>/questions/<int:position>/", views.attempt_question, name="attempt_question"),
    path(
        "attempts/<int:pk>/questions/<int:position>/feedback/",
        views.attempt_feedback,
        name="attempt_feedback",
    ),
    path("attempts/<int:pk>/finish/", views.attempt_finish, name="attempt_finish"),
    path("attempts/<int:pk>/results/", views.attempt_results, name="attempt_results"),
    path("attempts/<int:pk>/review/", views.review_start, name="review_start"),
    path("progress/", views.progress, name="progress"),
    path("certificates/<str:token>/", views.certificate, name="certificate"),
    path("practice/", views.practice, name="practice"),
    path("practice/<int:pk>/", views.practice_answer, name="practice_answer"),
    path("practice/<int:pk>/result/", views.practice_result, name="practice_result"),
]
