from django.urls import path

from . import views

app_name = "volunteers"
urlpatterns = [
    path("", views.volunteer_list, name="index"),
    path("new/", views.volunteer_create, name="create"),
    path("<int:pk>/", views.volunteer_detail, name="volunteer"),
    path("<int:pk>/approve/", views.volunteer_approve, name="approve"),
    path("<int:pk>/suspend/", views.volunteer_suspend, name="suspend"),
    path("<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("my/", views.my_tasks, name="my"),
    path("apply/", views.apply, name="apply"),
    path("shifts/", views.shift_list, name="shifts"),
    path("shifts/new/", views.shift_create, name="shift-create"),
    path("shifts/<int:pk>/", views.shift_detail, name="shift"),
    path("shifts/<int:pk>/signup/", views.signup, name="signup"),
    path("signups/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("signups/<int:pk>/check-in/", views.check_in, name="check-in"),
    path("signups/<int:pk>/check-out/", views.check_out, name="check-out"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/new/", views.task_create, name="task-create"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="task-complete"),
    path("tasks/<int:pk>/shops/<int:shop_pk>/", views.visit, name="visit"),
    path("tasks/<int:pk>/leaflets/", views.leaflets, name="leaflets"),
    path("visits/<int:pk>/photo/", views.visit_photo, name="visit-photo"),
    path("results/", views.results, name="results"),
    path("todos/", views.todo_list, name="todos"),
    path("todos/<int:pk>/close/", views.todo_close, name="todo-close"),
    path("hours/", views.hours, name="hours"),
]
