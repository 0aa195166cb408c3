/* gilgate: the statistics hooks of --enable-pystats builds; gilgate counts nothing, so the
 * hooks the inline reference counting calls expand to nothing. */
#ifndef Py_PYSTATS_H
#define Py_PYSTATS_H
#define _Py_INCREF_STAT_INC() ((void)0)
#define _Py_DECREF_STAT_INC() ((void)0)
#define _Py_INCREF_IMMORTAL_STAT_INC() ((void)0)
#define _Py_DECREF_IMMORTAL_STAT_INC() ((void)0)
#endif /* !Py_PYSTATS_H */
